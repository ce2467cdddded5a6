/**
 * Every image and tool the team build fetches, pinned by digest or SHA-256 in Springboard's own
 * code: a tag or a release's checksum file can be moved by whoever controls the registry or the
 * release; a digest written here cannot. docs/delivery.md says where each value was corroborated
 * and how to refresh it.
 */

/**
 * The official `node:22-bookworm` image by its multi-platform index digest, from the public ECR
 * mirror of Docker Official Images (no Docker Hub rate limit). The digest is the one Docker Hub's
 * `node:22-bookworm` and `node:22` resolved to; it is written in many public Dockerfiles. Node 22 is
 * the contract's NODE_MAJOR_VERSION: pins.test.ts fails when the contract moves and this pin does not.
 */
export const DEFAULT_TEST_IMAGE = 'public.ecr.aws/docker/library/node:22-bookworm@sha256:363e1587494626837fa7f9a23bdb453d13b0ff3c67c705c2805cfc69c2d2fad7';

/** A release of a downloaded tool: the version and the SHA-256 of its linux/amd64 archive. */
export interface ToolPin {
  readonly version: string;
  readonly sha256: string;
}

/** syft (anchore/syft) for the SBOM: `syft_<version>_linux_amd64.tar.gz` of its GitHub release. */
export const SYFT_PIN: ToolPin = {
  version: '1.46.0',
  sha256: 'd654f678b709eb53c393d38519d5ed7d2e57205529404018614cfefa0fb2b5ca',
};

/** An image reference pinned by digest: `<repository>[:<tag>]@sha256:<64 hex>`. */
export const PINNED_IMAGE = /^[a-z0-9][a-z0-9.\-_/:]*@sha256:[0-9a-f]{64}$/;
/** A SHA-256 written as 64 lower-case hex digits. */
export const SHA256_HEX = /^[0-9a-f]{64}$/;
