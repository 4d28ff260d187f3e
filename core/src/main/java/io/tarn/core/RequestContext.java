package io.tarn.core;

/**
 * Who asked for a mutation and from where; carried into its {@link MutationEvent}.
 *
 * @param requestId the S3 request id
 * @param principal the authenticated caller
 * @param sourceIp the caller's address as text
 */
public record RequestContext(String requestId, Principal principal, String sourceIp) {}
