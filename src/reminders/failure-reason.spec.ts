import { failureReason } from './failure-reason';

describe('failureReason', () => {
  it.each([
    ['Can\'t send mail - all recipients were rejected: 550 5.1.1 <x@example.cn>: User unknown', 'invalid_address'],
    ['No recipients defined', 'invalid_address'],
    ['Mail command failed: 553 Invalid address', 'invalid_address'],
    ['connect ECONNREFUSED 127.0.0.1:25', 'unreachable'],
    ['Greeting never received', 'unreachable'],
    ['getaddrinfo ENOTFOUND smtp.example.cn', 'unreachable'],
    ['SMTP 连接被拒绝', 'unreachable'],
    ['Message failed: 554 5.7.1 Message rejected as spam', 'rejected'],
    ['Invalid login: 535 Authentication failed', 'rejected'],
    ['something odd happened', 'other'],
  ])('%s → %s', (message, reason) => {
    expect(failureReason(message)).toBe(reason);
  });

  it('gives no reason when nothing failed', () => {
    expect(failureReason(null)).toBeNull();
  });
});
