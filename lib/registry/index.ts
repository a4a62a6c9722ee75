/**
 * Public surface of the OCI distribution client and mirror engine. Other parts of jcrkit (the CLI,
 * `mirror --from-config`, the JCR credential integration) import from here, not from the modules.
 */
export { mirror, mirrorMany, MirrorFailedError } from './mirror';
export type { MirrorEvent, MirrorOptions, MirrorPair } from './mirror';
export type { CredentialProvider, CredentialRequest, Credentials } from './credentials';
export { chainCredentialProviders, parseCredentials, staticCredentials } from './credentials';
export { DockerConfig, defaultDockerConfigPath, dockerConfigCredentialProvider } from './docker-config';
export { RegistryError } from './errors';
export type { RegistryErrorCode } from './errors';
export { formatImageReference, parseImageReference } from './reference';
export type { ImageReference } from './reference';
export type { BlobCounts, ImageError, ImageResult, ImageStatus, MirrorReport, PlannedAction } from './report';
export { RegistryClient } from './client';
export type { RegistryClientOptions } from './client';
export { MediaTypes } from './manifest';
export { shortDigest } from './digest';
export type { MirrorFormat } from './mirror';
export { parseSourceMirrorArg, applySourceMirror } from './source-mirrors';
export type { SourceMirrors } from './source-mirrors';
export { isMediaTypeRejection } from './convert';
export { probeRegistry } from './probe';
export type { ProbeCase, ProbeReport } from './probe';
export { HttpTransport } from './http';
