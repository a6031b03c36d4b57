import { randomBytes } from "node:crypto";
import pg from "pg";

/**
 * For tests against the suite's PostgreSQL (deploy/test.sh starts it and sets TEST_PG_URL): creates an
 * empty database of the test's own and answers its URL.
 */
export const createScratchDatabase = async (prefix: string): Promise<string> => {
  const serverUrl = process.env.TEST_PG_URL;
  if (!serverUrl) throw new Error("TEST_PG_URL is not set: run the suite with `npm test`, which starts PostgreSQL");
  const name = `${prefix}_${randomBytes(4).toString("hex")}`;
  const admin = new pg.Client({ connectionString: `${serverUrl}/inventory` });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${name} OWNER inventory`);
  } finally {
    await admin.end();
  }
  return `${serverUrl}/${name}`;
};
