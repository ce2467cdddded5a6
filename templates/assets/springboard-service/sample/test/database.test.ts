import { databaseConfig } from '../src/database';

// How the service and `npm run migrate` connect: DATABASE_URL locally, IAM tokens over verified TLS in AWS.
const aws = { DATABASE_HOST: 'db.example.internal', DATABASE_PORT: '5433', DATABASE_USER: 'migrator', AWS_REGION: 'us-east-1' };

test('locally, DATABASE_URL is used as it is', () => {
  expect(databaseConfig({ DATABASE_URL: 'postgres://me@localhost:5432/dev' })).toEqual({ connectionString: 'postgres://me@localhost:5432/dev' });
});

test('in AWS, the password is an IAM token made for the host, port and user, and TLS is verified', async () => {
  const signed: unknown[] = [];
  const config = databaseConfig(aws, async (target) => {
    signed.push(target);
    return 'token';
  });
  expect(config).toMatchObject({ host: 'db.example.internal', port: 5433, user: 'migrator', database: 'postgres' });
  expect(config.ssl).toMatchObject({ rejectUnauthorized: true });
  expect((config.ssl as { ca: string[] }).ca.length).toBeGreaterThan(0);
  expect(await (config.password as () => Promise<string>)()).toBe('token');
  expect(signed).toEqual([{ hostname: 'db.example.internal', port: 5433, username: 'migrator', region: 'us-east-1' }]);
});

test('the RDS signer makes a token that names the database user', async () => {
  const saved = { ...process.env };
  Object.assign(process.env, { AWS_ACCESS_KEY_ID: 'AKIAEXAMPLE', AWS_SECRET_ACCESS_KEY: 'example-secret' });
  try {
    const token = await (databaseConfig(aws).password as () => Promise<string>)();
    expect(token).toMatch(/^db\.example\.internal:5433\/\?Action=connect&DBUser=migrator&X-Amz-Algorithm=AWS4-HMAC-SHA256/);
  } finally {
    process.env = saved;
  }
});

test('without either, the error says what to set', () => {
  expect(() => databaseConfig({})).toThrow(/DATABASE_HOST, DATABASE_PORT, DATABASE_USER, AWS_REGION not set.*set DATABASE_URL/);
});
