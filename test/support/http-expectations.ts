import type { Response } from 'light-my-request';

/** The 400 names the offending field: as an input problem's `field`, or in the message of the service's own check. */
export function expectBadRequestNaming(response: Response, ...fields: string[]): void {
  expect(response.statusCode).toBe(400);
  const body = response.json();
  expect(body).toEqual(expect.objectContaining({ statusCode: 400, error: 'Bad Request' }));
  const named = JSON.stringify([body.message, (body.errors ?? []).map((e: { field: string }) => e.field)]);
  for (const field of fields) expect(named).toContain(field);
}

export function expectStatus(response: Response, status: number): void {
  // The body is part of the failure message, which makes a 500 or a wrong 4xx easy to diagnose.
  expect({ status: response.statusCode, body: response.body }).toEqual(expect.objectContaining({ status }));
}

/**
 * A CSV download as Excel opens it without garbling Chinese: 200, text/csv as an attachment, starting with
 * the UTF-8 byte-order mark. Its lines, without the mark.
 */
export function csvDownloadLines(csv: Response): string[] {
  expect(csv.statusCode).toBe(200);
  expect(csv.headers['content-type']).toMatch(/^text\/csv/);
  expect(String(csv.headers['content-disposition'])).toContain('attachment');
  expect([...csv.rawPayload.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
  expect(csv.body.startsWith('\uFEFF')).toBe(true);
  return csv.body.slice(1).trimEnd().split('\r\n');
}
