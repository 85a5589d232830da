import { type DatasetDeclaration, decimal, list, map, struct } from './types';

/** Web and app interaction events, JSON, routed by their `event_type`. */
export const clickstream: DatasetDeclaration = {
  name: 'clickstream',
  description: 'Web and app interaction events (JSON)',
  format: { type: 'json' },
  columns: [
    { name: 'event_id', type: 'string', nullable: false, comment: 'Producer-assigned unique id' },
    { name: 'user_id', type: 'string', comment: 'Null for anonymous visitors' },
    { name: 'event_type', type: 'string', nullable: false },
    { name: 'event_time', type: 'timestamp', nullable: false, comment: 'When it happened (UTC)' },
    {
      name: 'page',
      type: struct([
        { name: 'url', type: 'string' },
        { name: 'referrer', type: 'string' },
      ]),
    },
    { name: 'tags', type: list('string') },
    { name: 'amount', type: decimal(18, 4), comment: 'Order value, exact' },
    { name: 'quantity', type: 'int' },
    { name: 'big_counter', type: 'bigint', comment: 'May exceed 2^53; kept exact' },
    { name: 'is_test', type: 'boolean' },
    { name: 'properties', type: map('string') },
  ],
  eventTime: 'event_time',
  route: {
    by: 'field',
    field: 'event_type',
    equals: ['page_view', 'click', 'add_to_cart', 'checkout', 'purchase', 'search'],
  },
  recordKey: ['event_id'],
  catalog: { partitions: 'projection' },
};
