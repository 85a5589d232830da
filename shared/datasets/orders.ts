import { type DatasetDeclaration, decimal } from './types';

/** Orders exported by the shop back office as CSV lines, one order per record. */
export const orders: DatasetDeclaration = {
  name: 'orders',
  description: 'Shop orders (CSV, one line per record, no header)',
  format: {
    type: 'csv',
    delimiter: ',',
    header: false,
    fields: [
      'order_id',
      'customer_id',
      'order_time',
      'status',
      'currency',
      'total',
      'item_count',
      'shipped_date',
      'is_gift',
      'note',
    ],
  },
  columns: [
    { name: 'order_id', type: 'string', nullable: false },
    { name: 'customer_id', type: 'string', nullable: false },
    { name: 'order_time', type: 'timestamp', nullable: false },
    { name: 'status', type: 'string', nullable: false },
    { name: 'currency', type: 'string', nullable: false, comment: 'ISO 4217 code' },
    { name: 'total', type: decimal(12, 2), nullable: false },
    { name: 'item_count', type: 'int', nullable: false },
    { name: 'shipped_date', type: 'date', comment: 'Null until shipped' },
    { name: 'is_gift', type: 'boolean' },
    { name: 'note', type: 'string' },
  ],
  eventTime: 'order_time',
  route: { by: 'partition-key-prefix', prefix: 'orders/' },
  recordKey: ['order_id'],
  catalog: { partitions: 'direct' },
};
