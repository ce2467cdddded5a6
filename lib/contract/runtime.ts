/**
 * The Node.js major version Springboard supports and runs everywhere: engines of this repository and
 * of team repositories, the CodeBuild runtime of the platform's pipelines, the image a team's tests
 * run in, the base image of a team's container. Node.js 20 is past its end of life.
 */
export const NODE_MAJOR_VERSION = 22;

/** The `engines` floor (and projen `minNodeVersion`) matching NODE_MAJOR_VERSION. */
export const MIN_NODE_VERSION = `${NODE_MAJOR_VERSION}.0.0`;
