/** Schema names are interpolated into SQL (identifiers cannot be bound), so only plain names pass. */
export function assertSchemaName(schema: string): string {
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(schema)) {
    throw new Error(`invalid schema name "${schema}": use lower-case letters, digits and underscores`);
  }
  return schema;
}

/** The LISTEN/NOTIFY channel the outbox relay of one service listens on. */
export function outboxChannel(schema: string): string {
  return `${assertSchemaName(schema)}_outbox`;
}
