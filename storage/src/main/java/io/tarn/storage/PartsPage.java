package io.tarn.storage;

import java.util.List;

/**
 * A page of ListParts.
 *
 * @param upload the upload
 * @param parts parts in ascending part number
 * @param truncated whether more parts follow
 * @param nextPartNumberMarker when truncated, the last part number returned
 */
public record PartsPage(UploadInfo upload, List<PartSummary> parts, boolean truncated, int nextPartNumberMarker) {}
