/** Labels and annotation keys jcrkit puts on what it renders. */
export const MANAGED_BY = { 'app.kubernetes.io/managed-by': 'jcrkit' } as const;
export const PART_OF_REFRESHER = { 'app.kubernetes.io/name': 'jcrkit-token-refresher', ...MANAGED_BY } as const;
export const ANNOTATION_PREFIX = 'jcrkit.io/';
