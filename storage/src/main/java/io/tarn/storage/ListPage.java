package io.tarn.storage;

import java.util.List;

/**
 * One page of a listing, in UTF-8 byte order of keys.
 *
 * @param objects the objects on this page
 * @param commonPrefixes the common prefixes on this page (when a delimiter was given)
 * @param truncated whether more entries follow
 * @param nextMarker when truncated, the last key or common prefix returned (resume after it)
 */
public record ListPage(List<ObjectInfo> objects, List<String> commonPrefixes, boolean truncated, String nextMarker) {}
