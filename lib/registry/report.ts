/**
 * The structured result of a mirror run: one result per image and the totals over them. The CLI
 * prints it as JSON for machines or renders it as a table for people (lib/cli/render); both come
 * from this one object so they can't disagree.
 */
import type { RegistryErrorCode } from './errors';

export type ImageStatus =
  /** something was written at the destination */
  | 'copied'
  /** the destination already had exactly this manifest under the reference */
  | 'unchanged'
  /** dry run: what would have been written is in `plan` */
  | 'planned'
  | 'failed'
  /** interrupted (SIGINT/SIGTERM) before it finished, or never started; nothing was tagged */
  | 'cancelled';

export interface BlobCounts {
  copied: number;
  mounted: number;
  skipped: number;
}

export interface PlannedAction {
  kind: 'blob' | 'manifest';
  digest: string;
  size: number;
  action: 'copy' | 'mount' | 'push';
  /** for manifests pushed under a tag */
  reference?: string;
  platform?: string;
}

export interface ImageError {
  code: RegistryErrorCode | 'internal';
  /** one sentence, cause only (the image is in the surrounding result) */
  message: string;
  /** registry the failure came from, when known */
  registry?: string;
  /** which side of the copy the failing registry was, when it can be told */
  side?: 'source' | 'destination';
}

export interface ImageResult {
  source: string;
  destination: string;
  /** where the bytes came from when a source mirror stood in for `source` (images.sourceMirrors, --source-mirror) */
  pulledFrom?: string;
  status: ImageStatus;
  /** digest of the top-level manifest at the destination (what images.digests should hold) */
  digest?: string;
  mediaType?: string;
  /** the source's digest, when the manifests were converted and the destination's digest differs */
  sourceDigest?: string;
  /** the manifests were rewritten in this format (the blobs were not) */
  convertedTo?: 'docker' | 'oci';
  /** the top-level digest matched the pinned one (images.digests, or the file's `digest`) */
  verified?: boolean;
  /** things worth knowing that are not failures: conversion, dropped attestations, unverified mirror content */
  notes?: string[];
  /** platforms written (or found already present); empty for single-platform images and unchanged runs */
  platforms: string[];
  manifests: { copied: number; skipped: number };
  blobs: BlobCounts;
  /** bytes of blob content transferred */
  bytes: number;
  durationMs: number;
  plan?: PlannedAction[];
  error?: ImageError;
}

export interface MirrorReport {
  ok: boolean;
  dryRun: boolean;
  images: ImageResult[];
  totals: {
    images: number;
    copied: number;
    unchanged: number;
    planned: number;
    failed: number;
    cancelled: number;
    blobs: BlobCounts;
    bytes: number;
    durationMs: number;
  };
}

export function summarize(images: ImageResult[], dryRun: boolean, durationMs: number): MirrorReport {
  const count = (status: ImageStatus) => images.filter((i) => i.status === status).length;
  const sum = (pick: (i: ImageResult) => number) => images.reduce((n, i) => n + pick(i), 0);
  return {
    ok: images.every((i) => i.status !== 'failed' && i.status !== 'cancelled'),
    dryRun,
    images,
    totals: {
      images: images.length,
      copied: count('copied'),
      unchanged: count('unchanged'),
      planned: count('planned'),
      failed: count('failed'),
      cancelled: count('cancelled'),
      blobs: { copied: sum((i) => i.blobs.copied), mounted: sum((i) => i.blobs.mounted), skipped: sum((i) => i.blobs.skipped) },
      bytes: sum((i) => i.bytes),
      durationMs,
    },
  };
}
