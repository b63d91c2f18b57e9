export * from './transport/transport';
export * from './repl/types';
