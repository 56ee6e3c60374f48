/**
 * How SWC compiles our TypeScript for tests: in Jest (jest.config.js, through @swc/jest) and in the plain Node
 * processes a test starts (swc-register.js), so both run the same code. Decorator metadata is what Nest's
 * injection reads.
 */
module.exports = {
  jsc: {
    parser: { syntax: 'typescript', decorators: true },
    transform: { legacyDecorator: true, decoratorMetadata: true },
    target: 'es2022',
    keepClassNames: true,
  },
  module: { type: 'commonjs' },
};
