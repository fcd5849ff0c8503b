import { resolveApiTarget } from './api-target';

const local = { apiUrl: 'http://127.0.0.1:3100', key: 'mlc_local' };

describe('which API and key mlc uses', () => {
  it('uses the local admin key npm start stored, for the local API, when nothing is set', () => {
    expect(resolveApiTarget({}, {}, () => local)).toEqual({ url: 'http://127.0.0.1:3100', key: 'mlc_local' });
    expect(resolveApiTarget({ apiUrl: 'http://localhost:3100/' }, {}, () => local)).toEqual({ url: 'http://localhost:3100/', key: 'mlc_local' });
    expect(resolveApiTarget({}, { MLC_API_URL: 'http://127.0.0.1:3100' }, () => local).key).toBe('mlc_local');
  });

  it('prefers a key given by flag or env, and never sends the local key to another API', () => {
    expect(resolveApiTarget({ apiKey: 'mlc_flag' }, { MLC_API_KEY: 'mlc_env' }, () => local)).toEqual({ url: 'http://127.0.0.1:3000', key: 'mlc_flag' });
    expect(resolveApiTarget({}, { MLC_API_KEY: 'mlc_env', MLC_API_URL: 'https://mlc.example.com' }, () => local)).toEqual({ url: 'https://mlc.example.com', key: 'mlc_env' });
    expect(() => resolveApiTarget({}, { MLC_API_URL: 'https://mlc.example.com' }, () => local)).toThrow('no API key');
    expect(() => resolveApiTarget({ apiUrl: 'http://127.0.0.1:3000' }, {}, () => local)).toThrow('no API key');
  });

  it('requires an explicit key in production, and says how to get one locally', () => {
    expect(() => resolveApiTarget({}, { NODE_ENV: 'production' }, () => local)).toThrow('no API key: set MLC_API_KEY or pass --api-key');
    expect(() => resolveApiTarget({}, {}, () => undefined)).toThrow('npm start');
  });
});
