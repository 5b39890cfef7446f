// The built-in languages (src/parts/dify-chat-lang-*.ts): each has every English key and nothing else,
// keeps every {placeholder}, is translated, and is written in its script. Issue 12 / SPEC §17.
import { expect } from '@open-wc/testing';
import { defaultStrings } from '../../src/strings.js';
import { partStrings } from '../../src/app/strings.js';
import * as en from '../../src/parts/dify-chat-lang-en.js';
import * as zhHans from '../../src/parts/dify-chat-lang-zh-Hans.js';
import * as zhHant from '../../src/parts/dify-chat-lang-zh-Hant.js';
import * as ja from '../../src/parts/dify-chat-lang-ja.js';
import * as ko from '../../src/parts/dify-chat-lang-ko.js';
import * as es from '../../src/parts/dify-chat-lang-es.js';
import * as fr from '../../src/parts/dify-chat-lang-fr.js';
import * as de from '../../src/parts/dify-chat-lang-de.js';
import * as pt from '../../src/parts/dify-chat-lang-pt.js';
import * as ru from '../../src/parts/dify-chat-lang-ru.js';
import * as ar from '../../src/parts/dify-chat-lang-ar.js';
import * as he from '../../src/parts/dify-chat-lang-he.js';

type Texts = Record<string, unknown>;

const ENGLISH: Record<string, string> = { ...defaultStrings, ...partStrings };

interface Language {
  module: Record<string, unknown>;
  /** Keys whose text may stay exactly the English one (a word the language shares, or no words at all). */
  sameAsEnglish: string[];
  /** Letters every text with words must contain. */
  script?: RegExp;
}

// `working` is '{title}…' and `answered` '{bot}: {text}': no words to translate, only punctuation.
const LANGUAGES: Record<string, Language> = {
  'zh-Hans': { module: zhHans, sameAsEnglish: ['working'], script: /\p{Script=Han}/u },
  'zh-Hant': { module: zhHant, sameAsEnglish: ['working'], script: /\p{Script=Han}/u },
  ja: { module: ja, sameAsEnglish: ['working'], script: /[\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Han}]/u },
  ko: { module: ko, sameAsEnglish: ['working', 'answered'], script: /\p{Script=Hangul}/u },
  es: { module: es, sameAsEnglish: ['working', 'answered'] },
  fr: { module: fr, sameAsEnglish: ['working', 'code', 'sources', 'assistant'] },
  de: { module: de, sameAsEnglish: ['working', 'answered', 'code', 'optional'] },
  pt: { module: pt, sameAsEnglish: ['working', 'answered'] },
  ru: { module: ru, sameAsEnglish: ['working', 'answered'], script: /\p{Script=Cyrillic}/u },
  ar: { module: ar, sameAsEnglish: ['working', 'answered'], script: /\p{Script=Arabic}/u },
  he: { module: he, sameAsEnglish: ['working', 'answered'], script: /\p{Script=Hebrew}/u },
};

/** The sorted, distinct `{name}` placeholders of a text. */
const placeholders = (text: string) => [...new Set([...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]))].sort();

/** True when a text has letters outside its placeholders (something to translate). */
const hasWords = (text: string) => /\p{L}/u.test(text.replace(/\{\w+\}/g, ''));

/** Characters only Simplified Chinese uses, and their Traditional counterparts: a file must not mix them. */
const SIMPLIFIED_ONLY = /[对话开关发这条过输连网载复试错误续时语录转换问题览荐们说讯传档个动为与从将无让请认还进应没显设数据长间处断麦满选择协机帮务资识库浏声读]/u;
const TRADITIONAL_ONLY = /[對話開關發這條過輸連網載復複試錯誤續時語錄轉換問題覽薦們說訊傳檔個動為與從將無讓請認還進應沒顯設數據長間處斷麥滿選擇協機幫務資識庫瀏聲讀]/u;

/** The keys of `texts` (those English has too; extra keys fail their own test) whose value fails `ok`. */
const failing = (texts: Texts, ok: (value: string, key: string) => boolean) =>
  Object.entries(texts)
    .filter(([key, value]) => key in ENGLISH && !(typeof value === 'string' && ok(value, key)))
    .map(([key]) => key);

describe('built-in languages', () => {
  it('English is the element’s texts and the parts’ texts together', () => {
    expect(Object.keys(en)).to.deep.equal(['messages']);
    expect(en.messages).to.deep.equal(ENGLISH);
    expect(Object.keys(defaultStrings).filter((key) => key in partStrings), 'a key in both English objects').to.deep.equal([]);
  });

  for (const [code, language] of Object.entries(LANGUAGES)) {
    describe(code, () => {
      const texts = language.module.messages as Texts;

      it('exports only `messages`', () => {
        expect(Object.keys(language.module)).to.deep.equal(['messages']);
        expect(texts).to.be.an('object');
      });

      it('has exactly the English keys', () => {
        const keys = Object.keys(texts);
        expect(Object.keys(ENGLISH).filter((key) => !keys.includes(key)), 'missing').to.deep.equal([]);
        expect(keys.filter((key) => !(key in ENGLISH)), 'not in English').to.deep.equal([]);
      });

      it('has a non-empty string for every key, without stray spaces or three dots', () => {
        expect(failing(texts, (v) => v.trim() !== ''), 'empty or not a string').to.deep.equal([]);
        expect(failing(texts, (v) => v === v.trim()), 'leading or trailing space').to.deep.equal([]);
        expect(failing(texts, (v) => !v.includes('...')), 'three dots instead of …').to.deep.equal([]);
      });

      it('keeps the placeholders of every English text, and adds none', () => {
        const wrong = failing(texts, (v, key) => JSON.stringify(placeholders(v)) === JSON.stringify(placeholders(ENGLISH[key])));
        expect(wrong, 'placeholders differ from English').to.deep.equal([]);
      });

      it('uses the ellipsis where English does', () => {
        expect(failing(texts, (v, key) => ENGLISH[key].includes('…') === v.includes('…')), '… differs from English').to.deep.equal([]);
      });

      it('translates every text, except the few that are rightly the same', () => {
        expect(failing(texts, (v, key) => v !== ENGLISH[key] || language.sameAsEnglish.includes(key)), 'left in English').to.deep.equal([]);
        // the allowance stays honest: each listed key is a real key whose text is in fact the English one
        expect(language.sameAsEnglish.filter((key) => texts[key] !== ENGLISH[key]), 'listed as the same, but translated').to.deep.equal([]);
      });

      if (language.script) {
        const script = language.script;
        it(`is written in its script (${script.source})`, () => {
          expect(failing(texts, (v) => !hasWords(v) || script.test(v)), `no ${script.source} letters`).to.deep.equal([]);
        });
      }
    });
  }

  it('writes zh-Hans without Traditional-only characters', () => {
    expect(failing(zhHans.messages, (v) => !TRADITIONAL_ONLY.test(v)), 'Traditional characters in zh-Hans').to.deep.equal([]);
  });

  it('writes zh-Hant without Simplified-only characters', () => {
    expect(failing(zhHant.messages, (v) => !SIMPLIFIED_ONLY.test(v)), 'Simplified characters in zh-Hant').to.deep.equal([]);
  });

  it('reads right to left in ar and he: no Latin letters outside placeholders', () => {
    // "API", "bot" or "endpoint" left in Latin letters would break the right-to-left line
    for (const texts of [ar.messages, he.messages]) {
      expect(failing(texts, (v) => !/\p{Script=Latin}/u.test(v.replace(/\{\w+\}/g, ''))), 'Latin letters').to.deep.equal([]);
    }
  });
});
