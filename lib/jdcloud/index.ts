/** JD Cloud OpenAPI: signer, client, and the cr / vpc / kubernetes APIs jcrkit uses. */
export * from './canonical-request';
export * from './signing-key';
export * from './signer';
export * from './errors';
export * from './endpoints';
export * from './credentials';
export * from './params';
export * from './transport';
export * from './client';
export * from './names';
export * from './token';
export * from './cr';
export * from './vpc';
export * from './kubernetes';
