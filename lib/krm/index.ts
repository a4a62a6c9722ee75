/** The KRM function (kpt / kustomize): ResourceList in, the rendered stack out. See run.ts. */
export * from './annotations';
export * from './function-config';
export * from './generate';
export * from './resource-list';
export * from './results';
export * from './run';
