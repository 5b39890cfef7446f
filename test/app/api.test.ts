// The Dify Service API client of part "app" (src/app/api.ts), with fetch mocked.
import { expect } from '@open-wc/testing';
import { DifyApi } from '../../src/app/api.js';
import { mockFetch } from '../helpers/mock-fetch.js';

describe('DifyApi', () => {
  it('feedback calls for one answer go one after another, in the order given; other answers do not wait', async () => {
    const releases: (() => void)[] = [];
    const started: string[] = [];
    const fetchMock = mockFetch(async (call) => {
      started.push(`${call.url.split('/messages/')[1]} ${call.body.rating}`);
      await new Promise<void>((r) => releases.push(r));
      return new Response('{"result":"success"}', { headers: { 'content-type': 'application/json' } });
    });
    try {
      const api = new DifyApi('https://example.test/api', () => 'visitor');
      const calls = [api.feedback('m1', 'like'), api.feedback('m1', null), api.feedback('m2', 'dislike'), api.feedback('m1', 'dislike', 'Too short')];
      await new Promise((r) => setTimeout(r, 20));
      expect(started, 'one call per answer at a time').to.deep.equal(['m1/feedbacks like', 'm2/feedbacks dislike']);
      while (releases.length) {
        releases.shift()!();
        await new Promise((r) => setTimeout(r, 10));
      }
      await Promise.all(calls);
      expect(started).to.deep.equal(['m1/feedbacks like', 'm2/feedbacks dislike', 'm1/feedbacks null', 'm1/feedbacks dislike']);
    } finally {
      fetchMock.restore();
    }
  });

  it('a failed feedback call does not stop the next one', async () => {
    let n = 0;
    const fetchMock = mockFetch(() => (n++ === 0 ? new Response('{"code":"x","message":"no"}', { status: 500 }) : new Response('{}')));
    try {
      const api = new DifyApi('https://example.test/api', () => 'visitor');
      const first = api.feedback('m1', 'like');
      const second = api.feedback('m1', null);
      await first.then(() => expect.fail('the first call failed'), (e) => expect(e).to.be.an('error'));
      await second;
      expect(fetchMock.calls.map((c) => c.body.rating)).to.deep.equal(['like', null]);
    } finally {
      fetchMock.restore();
    }
  });
});
