import { type DatasetDeclaration, list, struct } from './types';

/** IoT sensor readings, Avro binary datums, put with partition keys `sensor/<id>`. */
export const sensorReadings: DatasetDeclaration = {
  name: 'sensor_readings',
  description: 'IoT sensor readings (Avro binary datums)',
  format: {
    type: 'avro',
    schema: {
      type: 'record',
      name: 'SensorReading',
      namespace: 'streamlake.sensors',
      fields: [
        { name: 'sensor_id', type: 'string' },
        { name: 'reading_time', type: { type: 'long', logicalType: 'timestamp-millis' } },
        { name: 'temperature_c', type: 'double' },
        { name: 'humidity_pct', type: ['null', 'double'], default: null },
        { name: 'battery_mv', type: 'int' },
        { name: 'sample_count', type: 'long' },
        { name: 'firmware', type: ['null', 'string'], default: null },
        {
          name: 'location',
          type: [
            'null',
            {
              type: 'record',
              name: 'Location',
              fields: [
                { name: 'lat', type: 'double' },
                { name: 'lon', type: 'double' },
              ],
            },
          ],
          default: null,
        },
        { name: 'labels', type: { type: 'array', items: 'string' }, default: [] },
      ],
    },
  },
  columns: [
    { name: 'sensor_id', type: 'string', nullable: false },
    { name: 'reading_time', type: 'timestamp', nullable: false },
    { name: 'temperature_c', type: 'double', nullable: false },
    { name: 'humidity_pct', type: 'double' },
    { name: 'battery_mv', type: 'int', nullable: false },
    { name: 'sample_count', type: 'bigint', nullable: false, comment: 'Avro long, kept exact' },
    { name: 'firmware', type: 'string' },
    {
      name: 'location',
      type: struct([
        { name: 'lat', type: 'double', nullable: false },
        { name: 'lon', type: 'double', nullable: false },
      ]),
    },
    { name: 'labels', type: list('string') },
  ],
  eventTime: 'reading_time',
  route: { by: 'partition-key-prefix', prefix: 'sensor/' },
  recordKey: ['sensor_id', 'reading_time'],
  catalog: { partitions: 'projection' },
};
