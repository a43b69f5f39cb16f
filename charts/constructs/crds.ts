import * as certificate from '../../imports/certificate-cert-manager.io.ts';
import * as clusterSecretStore from '../../imports/clustersecretstore-external-secrets.io.ts';
import * as externalSecret from '../../imports/externalsecret-external-secrets.io.ts';
import * as gitRepository from '../../imports/gitrepository-source.toolkit.fluxcd.io.ts';
import * as helmRelease from '../../imports/helm.toolkit.fluxcd.io.ts';
import * as helmRepository from '../../imports/helmrepository-source.toolkit.fluxcd.io.ts';
import * as issuer from '../../imports/issuer-cert-manager.io.ts';
import * as kustomization from '../../imports/kustomize.toolkit.fluxcd.io.ts';
import * as pushSecret from '../../imports/pushsecret-external-secrets.io.ts';
import { plainSpec, viaManifest } from './plain-manifest.ts';

/*
 * The CRD kinds meshfleet writes: the classes `cdk8s import` generated (imports/), typed as generated, serialized
 * without cdk8s's resolve (plain-manifest.ts says why). Constructs take the classes from here, and the enums and
 * prop types from imports/.
 */

/** Serialized by its generated name mapping: its props say `isCa` where the manifest says `isCA`. */
export const Certificate = viaManifest(certificate.Certificate);

/** Serialized as given: it holds four keys per peer. */
export const ExternalSecret = plainSpec(externalSecret.ExternalSecret);
/** Serialized as given: Cilium's values list every peer. */
export const HelmRelease = plainSpec(helmRelease.HelmRelease);
/**
 * Serialized as given: written once or more per cluster, and their generated serializers visit every field their
 * CRD allows (the store's, each of its dozens of providers). Their props are named as in the manifest.
 */
export const ClusterSecretStore = plainSpec(clusterSecretStore.ClusterSecretStore);
export const GitRepository = plainSpec(gitRepository.GitRepository);
export const HelmRepository = plainSpec(helmRepository.HelmRepository);
export const Issuer = plainSpec(issuer.Issuer);
export const Kustomization = plainSpec(kustomization.Kustomization);
export const PushSecret = plainSpec(pushSecret.PushSecret);
