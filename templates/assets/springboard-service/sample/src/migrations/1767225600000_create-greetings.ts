import type { MigrationBuilder } from 'node-pg-migrate';

/**
 * The first migration: a new table, which only expands the schema, so the release running now and
 * the one being deployed can both use it. Later changes follow expand/contract (docs/migrations.md in
 * Springboard): add, backfill, switch the code, and drop only once no running release reads the old shape.
 * Never edit a migration that has run in an environment: add a new file (a later timestamp) instead.
 */
export function up(pgm: MigrationBuilder): void {
  pgm.createTable('greetings', {
    id: 'id',
    message: { type: 'text', notNull: true },
    created_at: { type: 'timestamptz', notNull: true, default: pgm.func('now()') },
  });
}

export function down(pgm: MigrationBuilder): void {
  pgm.dropTable('greetings');
}
