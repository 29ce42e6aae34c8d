import { test } from 'node:test';
import assert from 'node:assert/strict';
import { route, type Route, type RoutingInput } from './router';

const DOMAINS = ['localhost', 's3.example.test'];

const cases: Array<[string, RoutingInput, Route]> = [
  [
    'DynamoDB current API',
    { method: 'POST', rawPath: '/', host: 'localhost:4566', target: 'DynamoDB_20120810.CreateTable' },
    { kind: 'dynamodb', api: 'DynamoDB_20120810', operation: 'CreateTable', target: 'DynamoDB_20120810.CreateTable' },
  ],
  [
    'DynamoDB legacy API',
    { method: 'POST', rawPath: '/', host: 'localhost', target: 'DynamoDB_20111205.PutItem' },
    { kind: 'dynamodb', api: 'DynamoDB_20111205', operation: 'PutItem', target: 'DynamoDB_20111205.PutItem' },
  ],
  [
    'DynamoDB Streams',
    { method: 'POST', rawPath: '/', host: 'localhost', target: 'DynamoDBStreams_20120810.ListStreams' },
    { kind: 'dynamodb', api: 'DynamoDBStreams_20120810', operation: 'ListStreams', target: 'DynamoDBStreams_20120810.ListStreams' },
  ],
  [
    'unknown target prefix still goes to DynamoDB (which answers UnknownOperationException)',
    { method: 'POST', rawPath: '/', host: 'localhost', target: 'Foo_2020.Bar' },
    { kind: 'dynamodb', api: undefined, operation: 'Bar', target: 'Foo_2020.Bar' },
  ],
  [
    'target without a dot',
    { method: 'POST', rawPath: '/', host: 'localhost', target: 'DynamoDB_20120810' },
    { kind: 'dynamodb', api: 'DynamoDB_20120810', operation: '', target: 'DynamoDB_20120810' },
  ],
  ['health', { method: 'GET', rawPath: '/_basalt/health', host: 'localhost', target: undefined }, { kind: 'health' }],
  [
    'S3 service root',
    { method: 'GET', rawPath: '/', host: 'localhost:4566', target: undefined },
    { kind: 's3', bucket: undefined, key: undefined, virtualHost: false },
  ],
  [
    'S3 path-style bucket',
    { method: 'GET', rawPath: '/my-bucket', host: '127.0.0.1:4566', target: undefined },
    { kind: 's3', bucket: 'my-bucket', key: undefined, virtualHost: false },
  ],
  [
    'S3 path-style bucket with trailing slash',
    { method: 'GET', rawPath: '/my-bucket/', host: '127.0.0.1:4566', target: undefined },
    { kind: 's3', bucket: 'my-bucket', key: undefined, virtualHost: false },
  ],
  [
    'S3 path-style key, percent-decoded, slashes kept',
    { method: 'PUT', rawPath: '/b/dir/a%20b%2Bc.txt', host: '127.0.0.1:4566', target: undefined },
    { kind: 's3', bucket: 'b', key: 'dir/a b+c.txt', virtualHost: false },
  ],
  [
    'S3 virtual-hosted on localhost',
    { method: 'GET', rawPath: '/photos/cat.jpg', host: 'my-bucket.localhost:4566', target: undefined },
    { kind: 's3', bucket: 'my-bucket', key: 'photos/cat.jpg', virtualHost: true },
  ],
  [
    'S3 virtual-hosted on a configured domain, bucket with dots',
    { method: 'GET', rawPath: '/', host: 'a.b.s3.example.test', target: undefined },
    { kind: 's3', bucket: 'a.b', key: undefined, virtualHost: true },
  ],
  [
    'bare base domain is path-style',
    { method: 'GET', rawPath: '/bkt', host: 's3.example.test', target: undefined },
    { kind: 's3', bucket: 'bkt', key: undefined, virtualHost: false },
  ],
  [
    'undecodable key kept literally',
    { method: 'GET', rawPath: '/b/%E0%A4%A', host: 'localhost', target: undefined },
    { kind: 's3', bucket: 'b', key: '%E0%A4%A', virtualHost: false },
  ],
  [
    'IPv6 host is not virtual-hosted',
    { method: 'GET', rawPath: '/b', host: '[::1]:4566', target: undefined },
    { kind: 's3', bucket: 'b', key: undefined, virtualHost: false },
  ],
];

for (const [name, input, expected] of cases) {
  test(`route: ${name}`, () => assert.deepEqual(route(input, DOMAINS), expected));
}
