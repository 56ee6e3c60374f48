import { ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { copyFileSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { S3Storage } from '../../src/storage/s3.storage';
import { makeBranch, makeUnit, makeUser, uniq } from '../factories/org.factory';
import { multipartFile } from '../support/multipart';
import { ServerProcess, startApiProcess, startS3Server } from '../support/processes';
import { sampleVideo } from '../support/sample-videos';
import { createTestApp, TestApp } from '../support/test-app';

const BUCKET = 'bst-videos';
const CREDENTIALS = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' };

/**
 * Video lessons on the S3-compatible driver (STORAGE_DRIVER=s3): the real API in its own process, configured
 * for S3, against s3rver (an S3-compatible server speaking the S3 HTTP API) in another process.
 */
describe('video lessons on S3-compatible storage (e2e)', () => {
  let t: TestApp;
  let s3: ServerProcess;
  let serverDir: string;
  let endpoint: string;
  let bucket: S3Client;
  let api: ServerProcess;
  let adminToken: string;
  let localStorageDir: string;

  beforeAll(async () => {
    t = await createTestApp();
    serverDir = mkdtempSync(join(tmpdir(), 'bst-s3rver-'));
    s3 = await startS3Server(serverDir, BUCKET);
    endpoint = `http://127.0.0.1:${s3.port}`;
    bucket = new S3Client({ region: 'us-east-1', endpoint, forcePathStyle: true, credentials: CREDENTIALS });
    localStorageDir = mkdtempSync(join(tmpdir(), 'bst-s3-local-'));
    api = await startApiProcess({
      STORAGE_DRIVER: 's3',
      S3_ENDPOINT: endpoint,
      S3_BUCKET: BUCKET,
      S3_ACCESS_KEY_ID: CREDENTIALS.accessKeyId,
      S3_SECRET_ACCESS_KEY: CREDENTIALS.secretAccessKey,
      // Uploads are spooled here before they go to the bucket; nothing may stay behind.
      STORAGE_DIR: localStorageDir,
    });
    adminToken = await t.login((await makeUser(t.dataSource, { role: 'admin' })).username);
  }, 60_000);

  afterAll(async () => {
    api?.child.kill('SIGTERM');
    s3?.child.kill('SIGTERM');
    await t.close();
    rmSync(serverDir, { recursive: true, force: true });
    rmSync(localStorageDir, { recursive: true, force: true });
  });

  const call = (path: string, init: RequestInit & { token?: string } = {}) =>
    fetch(`http://127.0.0.1:${api.port}${path}`, { ...init, headers: { ...(init.headers as Record<string, string>), ...(init.token ? { authorization: `Bearer ${init.token}` } : {}) } });
  const upload = (activityId: string, content: Buffer, name: string) => {
    const { payload, headers } = multipartFile('file', name, content, 'video/mp4');
    return call(`/api/activities/${activityId}/video`, { method: 'POST', body: new Uint8Array(payload), headers, token: adminToken });
  };
  const localFiles = () => readdirSync(localStorageDir, { recursive: true, withFileTypes: true }).filter((entry) => entry.isFile()).map((entry) => entry.name);
  const keys = async () => ((await bucket.send(new ListObjectsV2Command({ Bucket: BUCKET }))).Contents ?? []).map((o) => o.Key!);

  it('stores uploads in the bucket, streams them with Range, and removes a replaced file', async () => {
    const course = (await t.post('/api/courses', { title: `存储课${uniq()}`, startsAt: new Date(Date.now() - 86400e3).toISOString(), endsAt: new Date(Date.now() + 30 * 86400e3).toISOString() }, adminToken)).json();
    const section = (await t.post(`/api/courses/${course.id}/sections`, { title: '一' }, adminToken)).json();
    const activity = (await t.post(`/api/courses/${course.id}/activities`, { type: 'video', sectionId: section.id, title: '视频', creditHours: 1, durationSeconds: 60 }, adminToken)).json();
    const ten = sampleVideo(10, 'mp4').bytes;

    const first = await upload(activity.id, ten, '第一讲.mp4');
    expect(first.status).toBe(200);
    const { video } = (await first.json()) as { video: { durationSeconds: number; sizeBytes: number; mimeType: string } };
    expect(video).toMatchObject({ sizeBytes: ten.length, mimeType: 'video/mp4' });
    expect(video.durationSeconds).toBeCloseTo(10, 0);
    const [stored] = await keys();
    expect(await keys()).toHaveLength(1);
    expect(localFiles()).toEqual([]);

    // An enrolled secretary plays it with Range, from the bucket.
    expect((await t.post(`/api/courses/${course.id}/publish`, {}, adminToken)).statusCode).toBe(200);
    const secretary = await makeUser(t.dataSource, { branch: await makeBranch(t.dataSource, await makeUnit(t.dataSource)) });
    await t.post(`/api/courses/${course.id}/enrollments`, { userIds: [secretary.id] }, adminToken);
    const token = await t.login(secretary.username);
    const part = await call(`/api/activities/${activity.id}/video`, { token, headers: { range: 'bytes=100-199' } });
    expect(part.status).toBe(206);
    expect(part.headers.get('content-range')).toBe(`bytes 100-199/${ten.length}`);
    expect(Buffer.from(await part.arrayBuffer()).equals(ten.subarray(100, 200))).toBe(true);
    const whole = await call(`/api/activities/${activity.id}/video`, { token });
    expect(Buffer.from(await whole.arrayBuffer()).equals(ten)).toBe(true);

    // Replacing the video stores the new file and deletes the old object.
    const twenty = sampleVideo(20, 'mp4').bytes;
    expect((await upload(activity.id, twenty, '第一讲（新版）.mp4')).status).toBe(200);
    const after = await keys();
    expect(after).toHaveLength(1);
    expect(after).not.toContain(stored);
    const tail = await call(`/api/activities/${activity.id}/video`, { token, headers: { range: `bytes=-10` } });
    expect(Buffer.from(await tail.arrayBuffer()).equals(twenty.subarray(twenty.length - 10))).toBe(true);

    // A refused upload (not a video, whatever its name) reaches neither the bucket nor the local disk.
    expect((await upload(activity.id, Buffer.from('这不是视频'.repeat(100)), 'fake.mp4')).status).toBe(415);
    expect(await keys()).toEqual(after);
    expect(localFiles()).toEqual([]);
  });

  it('reports a missing object as missing, and reads byte ranges (the driver on its own)', async () => {
    const storage = new S3Storage({ endpoint, region: 'us-east-1', bucket: BUCKET, ...CREDENTIALS, forcePathStyle: true });
    expect(await storage.stat(`missing/${uniq()}.mp4`)).toBeNull();
    const dir = mkdtempSync(join(tmpdir(), 'bst-s3-put-'));
    try {
      const file = join(dir, 'clip.webm');
      const webm = sampleVideo(6, 'webm');
      copyFileSync(webm.path, file);
      const key = `videos/${uniq()}.webm`;
      expect(await storage.putFile(key, file, 'video/webm')).toEqual({ size: webm.bytes.length });
      expect(readdirSync(dir)).toEqual([]);
      expect(await storage.stat(key)).toEqual({ size: webm.bytes.length });
      const chunks: Buffer[] = [];
      for await (const chunk of await storage.read(key, { start: 10, end: 29 })) chunks.push(chunk as Buffer);
      expect(Buffer.concat(chunks).equals(webm.bytes.subarray(10, 30))).toBe(true);
      await storage.delete(key);
      expect(await storage.stat(key)).toBeNull();

      // A generated document goes up from memory.
      const pdfKey = `certificates/${uniq()}.pdf`;
      const pdf = Buffer.from('%PDF-1.7 证书');
      expect(await storage.putBytes(pdfKey, pdf, 'application/pdf')).toEqual({ size: pdf.length });
      const stored: Buffer[] = [];
      for await (const chunk of await storage.read(pdfKey)) stored.push(chunk as Buffer);
      expect(Buffer.concat(stored).equals(pdf)).toBe(true);
      await storage.delete(pdfKey);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
