import type { Diagnostic } from '../diagnostics.ts';

/** Syntax errors shown before the rest are summed up in one line: past the first few, they are mostly knock-ons. */
export const MAX_SYNTAX_ERRORS = 5;

/** One parse error of `yaml`, reduced to what is needed here. */
export interface SyntaxError {
  readonly offset: number;
  readonly code: string;
  readonly message: string;
}

/**
 * The parser's errors as a person should read them: one per line (the parser often reports two or three at the same
 * place), none after a cause that throws the rest of the file off (a tab used for indentation, an unquoted `{{…}}`
 * template), at most MAX_SYNTAX_ERRORS, and a summary line for what was left out.
 */
export function syntaxDiagnostics(
  errors: readonly SyntaxError[],
  text: string,
  at: (offset: number, message: string) => Diagnostic,
  describe: (e: SyntaxError) => string,
): Diagnostic[] {
  const shown: Diagnostic[] = [];
  const lines = new Set<number>();
  let omitted = 0;
  let firstOmitted: number | undefined;
  let derailed = false;
  for (const e of [...errors].sort((a, b) => a.offset - b.offset)) {
    const template = unquotedTemplate(text, e.offset);
    const d = at(e.offset, template ? templateMessage(template) : describe(e));
    if (lines.has(d.line)) continue;
    lines.add(d.line);
    if (derailed || shown.length >= MAX_SYNTAX_ERRORS) {
      omitted += 1;
      firstOmitted ??= e.offset;
      continue;
    }
    shown.push(d);
    if (template || e.code === 'TAB_AS_INDENT') derailed = true;
  }
  if (omitted > 0) {
    const knockOn = derailed ? ', most likely knock-ons of the one above: fix it and run again' : '';
    shown.push(at(firstOmitted!, `and ${omitted} more YAML error${omitted === 1 ? '' : 's'} from here on${knockOn}`));
  }
  return shown;
}

/** A plain (unquoted) value on the error's line that holds `{{`: YAML reads `{` as the start of a flow map. */
function unquotedTemplate(text: string, offset: number): string | undefined {
  const start = text.lastIndexOf('\n', offset - 1) + 1;
  const end = text.indexOf('\n', offset);
  const line = text.slice(start, end === -1 ? undefined : end).replace(/\s+#.*$/, '');
  // Quoted strings may hold templates: only what is outside them counts.
  const outside = line.replace(/"(?:[^"\\]|\\.)*"|'(?:[^']|'')*'/g, '""');
  const m = /(?:^|[\s:,{[])((?:[^\s:,{}[\]"']|\{\{[^}]*\}\})*\{\{[^}]*\}\}(?:[^\s,{}[\]]|\{\{[^}]*\}\})*)/.exec(
    outside,
  );
  return m?.[1];
}

function templateMessage(template: string): string {
  return `the template ${template} must be quoted, as in "${template}": unquoted, YAML reads "{" as the start of a map`;
}
