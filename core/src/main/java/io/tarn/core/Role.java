package io.tarn.core;

/** A user's role. */
public enum Role {
  ADMIN,
  USER
}
