import { buildHandlerMap } from './job-dispatcher.service';
import type { JobRegistry } from './jobs';

const registry: JobRegistry = {
  'a.one': { queue: 'courses', id: () => 'a' },
  'b.two': { queue: 'reminders', id: () => 'b' },
};
const handler = async () => 'ok';

describe('buildHandlerMap (worker start-up check)', () => {
  it('maps each registered job to its single handler', () => {
    const map = buildHandlerMap(registry, [
      { name: 'a.one', owner: 'A.run', handler },
      { name: 'b.two', owner: 'B.run', handler },
    ]);
    expect([...map.keys()].sort()).toEqual(['a.one', 'b.two']);
  });

  it('refuses a job without a handler, a job with two, and a handler for an unknown job', () => {
    const attempt = () =>
      buildHandlerMap(registry, [
        { name: 'a.one', owner: 'A.run', handler },
        { name: 'a.one', owner: 'A2.run', handler },
        { name: 'c.three', owner: 'C.run', handler },
      ]);
    expect(attempt).toThrow('"b.two" has no @JobHandler');
    expect(attempt).toThrow('"a.one" has 2 handlers: A.run, A2.run');
    expect(attempt).toThrow('C.run handles "c.three", which is not in JOB_DEFINITIONS');
  });
});
