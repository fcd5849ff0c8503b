// Placeholder while the foundation lands: replaced by the real Temporal + PostgreSQL start.
export default async function globalSetup(): Promise<void> {}
