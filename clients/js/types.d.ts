// The hub's events, as the web app's design note names them. Every event a stream carries names its
// topic in `entityType`, `entityId` and `channel`; published events also carry `timestamp`.

export type EntityType = 'trip' | 'location' | 'post' | 'blog';
export type Channel = 'comments' | 'rating' | 'likes' | 'saves' | 'presence' | 'images';
/** `type/id/channel`, e.g. `trip/123/comments`. */
export type Topic = `${EntityType}/${string}/${Channel}`;

export interface TopicFields<C extends Channel = Channel> {
  entityType: EntityType;
  entityId: string;
  channel: C;
}

interface Published<C extends Channel> extends TopicFields<C> {
  /** When the hub stored it (ISO-8601). */
  timestamp: string;
}

/** A comment as the app stores it; the hub only requires `id`. */
export interface Comment {
  id: string;
  [field: string]: unknown;
}

export type CommentEvent =
  | (Published<'comments'> & { action: 'new_comment' | 'comment_edited'; comment: Comment })
  | (Published<'comments'> & { action: 'comment_deleted'; commentId: string });

export interface Rating {
  average: number;
  count: number;
}
export type RatingEvent = Published<'rating'> & { action: 'rating_updated'; rating: Rating };

export type LikeEvent = Published<'likes'> & { action: 'liked' | 'unliked'; userId: string; count: number };
export type SaveEvent = Published<'saves'> & { action: 'saved' | 'unsaved'; userId: string; count: number };

/** A viewer: its id and the display data given when it joined (`name`, `avatarUrl`, ...). */
export interface Viewer {
  id: string;
  name?: string;
  avatarUrl?: string;
  [field: string]: unknown;
}
export type PresenceEvent =
  | (Published<'presence'> & { action: 'viewer_joined' | 'viewer_left'; viewer: Viewer; count: number })
  | (TopicFields<'presence'> & { action: 'presence_snapshot'; viewers: Viewer[]; count: number });

export interface Image {
  id: string;
  [field: string]: unknown;
}
export type ImageEvent =
  | (Published<'images'> & { action: 'image_uploaded'; image: Image })
  | (Published<'images'> & { action: 'image_deleted'; imageId: string });

/** The events after the client's position are no longer all retained for this topic: reload its state. */
export interface ResyncEvent extends TopicFields {
  action: 'resync';
  reason: string;
}

export interface EventsByChannel {
  comments: CommentEvent;
  rating: RatingEvent;
  likes: LikeEvent;
  saves: SaveEvent;
  presence: PresenceEvent;
  images: ImageEvent;
}

/** The events of a topic, from its channel: `EventOf<'trip/1/likes'>` is `LikeEvent`. */
export type EventOf<T extends string> = T extends `${string}/${string}/${infer C extends Channel}`
  ? EventsByChannel[C] | ResyncEvent
  : never;

export type RealtimeEvent = EventsByChannel[Channel];
