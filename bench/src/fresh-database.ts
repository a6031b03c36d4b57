import pg from "pg";

/** A database of `name`, dropped and created again empty, and a small pool on it. */
export const freshDatabase = async (pgUrl: string, name: string): Promise<{ url: string; pool: pg.Pool }> => {
  const admin = new pg.Client({ connectionString: `${pgUrl}/inventory` });
  await admin.connect();
  try {
    await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await admin.query(`CREATE DATABASE ${name} OWNER inventory`);
  } finally {
    await admin.end();
  }
  const url = `${pgUrl}/${name}`;
  return { url, pool: new pg.Pool({ connectionString: url, max: 4 }) };
};
