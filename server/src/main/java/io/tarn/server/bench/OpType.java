package io.tarn.server.bench;

/** The kinds of request the driver measures; each gets its own row in the report. */
enum OpType {
  PUT,
  GET,
  LIST
}
