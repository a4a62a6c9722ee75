export * from './render';
export * from './write';
export * from './refresher-bundle';
export * from './access';
export * from './bootstrap';
export * from './orphans';
export * from './argocd-cmp';
