/** The events `<dify-chat>` fires on itself (bubbling, composed), SPEC §9. */
import type { ChatEventMap } from './chat/controller.js';
import type { FeedbackDetail } from './app/host.js';

export type { ChatEventMap };
export type DifyChatSendEvent = CustomEvent<ChatEventMap['dify-chat-send']>;
export type DifyChatMessageEvent = CustomEvent<ChatEventMap['dify-chat-message']>;
export type DifyChatConversationEvent = CustomEvent<ChatEventMap['dify-chat-conversation']>;
export type DifyChatErrorEvent = CustomEvent<ChatEventMap['dify-chat-error']>;
export type DifyChatResetEvent = CustomEvent<ChatEventMap['dify-chat-reset']>;
/** The visitor rated an answer (`rating` null: revoked); `content` is a comment after a dislike. */
export type DifyChatFeedbackEvent = CustomEvent<FeedbackDetail>;
/** The launcher's panel opened (`open` became true). */
export type DifyChatOpenEvent = CustomEvent<undefined>;
/** The launcher's panel closed. */
export type DifyChatCloseEvent = CustomEvent<undefined>;

declare global {
  interface GlobalEventHandlersEventMap {
    'dify-chat-send': DifyChatSendEvent;
    'dify-chat-message': DifyChatMessageEvent;
    'dify-chat-conversation': DifyChatConversationEvent;
    'dify-chat-error': DifyChatErrorEvent;
    'dify-chat-reset': DifyChatResetEvent;
    'dify-chat-open': DifyChatOpenEvent;
    'dify-chat-close': DifyChatCloseEvent;
    'dify-chat-feedback': DifyChatFeedbackEvent;
  }
}
