import { FileBase, IResolver, Project } from 'projen';

/** How a file type writes a comment line, so the projen marker is a comment in every file. */
export type CommentStyle = 'hash' | 'slash' | 'html';

export interface ManagedFileOptions {
  readonly contents: string;
  readonly comment: CommentStyle;
}

/**
 * A platform-owned file: rewritten by every `npx projen`, read-only on disk, and marked as generated.
 * Changes reach team repositories only through a template upgrade.
 */
export class ManagedFile extends FileBase {
  private readonly contents: string;
  private readonly comment: CommentStyle;

  constructor(project: Project, filePath: string, options: ManagedFileOptions) {
    super(project, filePath, { readonly: true });
    this.contents = options.contents;
    this.comment = options.comment;
  }

  protected synthesizeContent(_resolver: IResolver): string | undefined {
    const body = this.contents.endsWith('\n') ? this.contents : this.contents + '\n';
    if (!this.marker) return body;
    const note = `${this.marker} Platform-owned: a template upgrade replaces this file, local edits are lost.`;
    switch (this.comment) {
      case 'hash':
        return `# ${note}\n${body}`;
      case 'slash':
        return `// ${note}\n${body}`;
      case 'html':
        return `<!-- ${note} -->\n${body}`;
    }
  }
}
