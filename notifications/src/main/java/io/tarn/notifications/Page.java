package io.tarn.notifications;

import java.util.List;

/**
 * One page of a listing.
 *
 * @param items the entries
 * @param next the cursor to pass as {@code after} for the next page, or null at the end
 */
public record Page<T>(List<T> items, String next) {}
