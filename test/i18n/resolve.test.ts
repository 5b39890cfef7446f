// Which built-in language a tag gets (src/i18n/language.ts).
import { expect } from '@open-wc/testing';
import { LANGUAGES, builtIn, resolveLanguage } from '../../src/i18n/language.js';

describe('language resolution', () => {
  it('maps BCP 47 tags to the built-in languages', () => {
    const cases: [string, string | undefined][] = [
      ['en', 'en'], ['en-GB', 'en'], ['fr-CA', 'fr'], ['de_AT', 'de'], ['PT-br', 'pt'], ['es-419', 'es'],
      ['zh', 'zh-Hans'], ['zh-CN', 'zh-Hans'], ['zh-SG', 'zh-Hans'], ['zh-Hans-CN', 'zh-Hans'],
      ['zh-TW', 'zh-Hant'], ['zh-HK', 'zh-Hant'], ['zh-MO', 'zh-Hant'], ['zh-Hant', 'zh-Hant'], ['zh-Hant-CN', 'zh-Hant'],
      ['ja-JP', 'ja'], ['ko', 'ko'], ['ru-RU', 'ru'], ['ar-EG', 'ar'], ['he', 'he'], ['iw', 'he'],
      ['it', undefined], ['', undefined], ['x-klingon', undefined],
    ];
    for (const [tag, language] of cases) expect(builtIn(tag), tag).to.equal(language);
    expect(LANGUAGES).to.have.length(12);
  });

  it('the first tag given decides; an unsupported one means English, not the next candidate', () => {
    expect(resolveLanguage(null, '', 'de-DE', 'fr')).to.equal('de');
    expect(resolveLanguage('it', 'fr')).to.equal('en');
    expect(resolveLanguage(undefined, undefined)).to.equal('en');
  });
});
