package io.tarn.storage;

import java.util.List;

/**
 * A page of ListMultipartUploads, ordered by key then by initiation.
 *
 * @param uploads uploads on this page
 * @param commonPrefixes common prefixes (when a delimiter was given)
 * @param truncated whether more follow
 * @param nextKeyMarker when truncated, the key of the last entry
 * @param nextUploadIdMarker when truncated, the upload id of the last entry (may be {@code null}
 *     when the last entry was a common prefix)
 */
public record UploadsPage(
    List<UploadInfo> uploads, List<String> commonPrefixes, boolean truncated, String nextKeyMarker, String nextUploadIdMarker) {}
