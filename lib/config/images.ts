/**
 * Which images the stack runs, where they come from and what the manifests call them.
 *
 * This is the one place both the renderer and `jcrkit mirror --from-config` read, so the rendered
 * manifests reference exactly the images the mirror command puts into JCR. The cluster cannot
 * reach Docker Hub (the runbook's reason for mirroring), so every default image is a copy inside
 * the user's registry under the same repository path as upstream.
 */
export type ImageRole = 'dashboard' | 'metrics-scraper' | 'refresher-runtime' | 'refresher';

export interface StackImage {
  role: ImageRole;
  /** Public upstream reference to mirror from; undefined for user-supplied images. */
  source?: string;
  /** Tag reference inside the user's registry (or the user's own image). */
  target: string;
  /** What the manifests use: `target`, or `repository@digest` when digests are pinned. */
  ref: string;
  /** Repository path inside the registry (for `registry ensure`), when the image lives there. */
  repository?: string;
  /** `images.digests[target]`, when the user pinned it (checked against what a source mirror serves) */
  pinnedDigest?: string;
}

/** An `images.extra` entry, resolved: copied by `mirror --from-config`, never rendered. */
export interface ExtraImage {
  source: string;
  target: string;
  /** repository path in the configured registry (created when missing), when the target is there */
  repository?: string;
  platform?: string;
  pinnedDigest?: string;
}

/**
 * Upstream images per UI preset, as the upstream manifests and charts name them. v1.10.1's official
 * image is amd64-only; v2.7.0's are published on Docker Hub only; Headlamp's on ghcr.io.
 */
export const PRESET_IMAGES: Record<string, { dashboard: UpstreamImage; metricsScraper?: UpstreamImage }> = {
  // The runbook pulled the community mirror of k8s.gcr.io's amd64-only image and pushed it as
  // `kubernetes-dashboard-amd64:v1.10.1` into the registry; we keep that repository name.
  'v1.10.1': {
    dashboard: { source: 'docker.io/mirrorgooglecontainers/kubernetes-dashboard-amd64:v1.10.1', repository: 'kubernetes-dashboard-amd64', tag: 'v1.10.1' },
  },
  'v2.7.0': {
    dashboard: { source: 'docker.io/kubernetesui/dashboard:v2.7.0', repository: 'kubernetesui/dashboard', tag: 'v2.7.0' },
    metricsScraper: { source: 'docker.io/kubernetesui/metrics-scraper:v1.0.8', repository: 'kubernetesui/metrics-scraper', tag: 'v1.0.8' },
  },
  // Headlamp's chart 0.45.0 runs ghcr.io/headlamp-k8s/headlamp:v<appVersion> (image.registry +
  // image.repository in charts/headlamp/values.yaml); one multi-arch image, nothing else to mirror.
  headlamp: {
    dashboard: { source: 'ghcr.io/headlamp-k8s/headlamp:v0.45.0', repository: 'headlamp-k8s/headlamp', tag: 'v0.45.0' },
  },
};

/** The Headlamp release the headlamp preset is pinned to (chart version = app version). */
export const HEADLAMP_VERSION = '0.45.0';

/**
 * The stock Node.js image that runs the bundled refresher (no custom image to build): Node.js 24,
 * an LTS line supported until April 2028 (https://nodejs.org/en/about/previous-releases; Node 20
 * reached end of life on 2026-04-30 and 22 follows in April 2027). A release tag of the major the
 * bundle targets (lib/refresher/bundle.ts); `jcrkit mirror --from-config` copies it into the
 * registry and prints its digest, which `images.digests` then pins (the tag is mutable).
 */
export const REFRESHER_RUNTIME: UpstreamImage = { source: 'docker.io/library/node:24.21.0-alpine', repository: 'library/node', tag: '24.21.0-alpine' };

export interface UpstreamImage {
  source: string;
  repository: string;
  tag: string;
}

/** `host/repo:tag` → `host/repo`; keeps a registry port (`host:5000/repo:tag`). */
export function stripTag(ref: string): string {
  const at = ref.indexOf('@');
  const base = at >= 0 ? ref.slice(0, at) : ref;
  const slash = base.lastIndexOf('/');
  const colon = base.lastIndexOf(':');
  return colon > slash ? base.slice(0, colon) : base;
}

/** The registry host of a reference (`a.b/x:y` → `a.b`), or undefined for Docker Hub short names. */
export function referenceHost(ref: string): string | undefined {
  const first = ref.split('/')[0];
  return ref.includes('/') && (first.includes('.') || first.includes(':') || first === 'localhost') ? first : undefined;
}
