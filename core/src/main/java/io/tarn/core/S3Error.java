package io.tarn.core;

/**
 * S3 error codes with their HTTP status and default message.
 *
 * <p>Codes, statuses and messages follow the AWS "Error responses" reference
 * (https://docs.aws.amazon.com/AmazonS3/latest/API/ErrorResponses.html).
 */
public enum S3Error {
  ACCESS_DENIED("AccessDenied", 403, "Access Denied"),
  ACCESS_CONTROL_LIST_NOT_SUPPORTED("AccessControlListNotSupported", 400, "The bucket does not allow ACLs"),
  ACCOUNT_PROBLEM("AccountProblem", 403, "There is a problem with your account."),
  AUTHORIZATION_HEADER_MALFORMED("AuthorizationHeaderMalformed", 400, "The authorization header is malformed."),
  AUTHORIZATION_QUERY_PARAMETERS_ERROR("AuthorizationQueryParametersError", 400, "Error parsing the X-Amz-Credential parameter."),
  BAD_DIGEST("BadDigest", 400, "The Content-MD5 you specified did not match what we received."),
  BUCKET_ALREADY_EXISTS("BucketAlreadyExists", 409, "The requested bucket name is not available. The bucket namespace is shared by all users of the system. Please select a different name and try again."),
  BUCKET_ALREADY_OWNED_BY_YOU("BucketAlreadyOwnedByYou", 409, "Your previous request to create the named bucket succeeded and you already own it."),
  BUCKET_NOT_EMPTY("BucketNotEmpty", 409, "The bucket you tried to delete is not empty"),
  ENTITY_TOO_SMALL("EntityTooSmall", 400, "Your proposed upload is smaller than the minimum allowed object size."),
  ENTITY_TOO_LARGE("EntityTooLarge", 400, "Your proposed upload exceeds the maximum allowed object size."),
  EXPIRED_TOKEN("ExpiredToken", 400, "The provided token has expired."),
  ILLEGAL_LOCATION_CONSTRAINT_EXCEPTION("IllegalLocationConstraintException", 400, "The specified location constraint is not valid."),
  INCOMPLETE_BODY("IncompleteBody", 400, "You did not provide the number of bytes specified by the Content-Length HTTP header."),
  INTERNAL_ERROR("InternalError", 500, "We encountered an internal error. Please try again."),
  /** POST Object without exactly one {@code file} field (https://docs.aws.amazon.com/AmazonS3/latest/API/ErrorResponses.html). */
  INCORRECT_NUMBER_OF_FILES_IN_POST_REQUEST("IncorrectNumberOfFilesInPostRequest", 400, "POST requires exactly one file upload per request."),
  INVALID_ACCESS_KEY_ID("InvalidAccessKeyId", 403, "The AWS Access Key Id you provided does not exist in our records."),
  INVALID_ARGUMENT("InvalidArgument", 400, "Invalid Argument"),
  INVALID_BUCKET_NAME("InvalidBucketName", 400, "The specified bucket is not valid."),
  INVALID_BUCKET_STATE("InvalidBucketState", 409, "The request is not valid with the current state of the bucket."),
  INVALID_DIGEST("InvalidDigest", 400, "The Content-MD5 you specified is not valid."),
  INVALID_ENCRYPTION_ALGORITHM_ERROR("InvalidEncryptionAlgorithmError", 400, "The encryption request you specified is not valid."),
  INVALID_LOCATION_CONSTRAINT("InvalidLocationConstraint", 400, "The specified location constraint is not valid."),
  INVALID_OBJECT_STATE("InvalidObjectState", 403, "The operation is not valid for the current state of the object."),
  /** A POST Object policy that is not a well-formed policy document. */
  INVALID_POLICY_DOCUMENT("InvalidPolicyDocument", 400, "The content of the form does not meet the conditions specified in the policy document."),
  INVALID_PART("InvalidPart", 400, "One or more of the specified parts could not be found. The part may not have been uploaded, or the specified entity tag may not match the part's entity tag."),
  INVALID_PART_ORDER("InvalidPartOrder", 400, "The list of parts was not in ascending order. The parts list must be specified in order by part number."),
  INVALID_PART_NUMBER("InvalidPartNumber", 416, "The requested partnumber is not satisfiable"),
  INVALID_RANGE("InvalidRange", 416, "The requested range is not satisfiable"),
  INVALID_REQUEST("InvalidRequest", 400, "Invalid Request"),
  INVALID_STORAGE_CLASS("InvalidStorageClass", 400, "The storage class you specified is not valid."),
  INVALID_TAG("InvalidTag", 400, "The tag provided was not a valid tag."),
  INVALID_URI("InvalidURI", 400, "Couldn't parse the specified URI."),
  KEY_TOO_LONG("KeyTooLongError", 400, "Your key is too long."),
  /** PutBucketPolicy with a document S3 cannot store; the message names the problem (the policy engine's). */
  MALFORMED_POLICY("MalformedPolicy", 400, "Policies must be valid JSON and the first byte must be '{'"),
  MALFORMED_XML("MalformedXML", 400, "The XML you provided was not well-formed or did not validate against our published schema."),
  MALFORMED_ACL_ERROR("MalformedACLError", 400, "The XML you provided was not well-formed or did not validate against our published schema."),
  MALFORMED_POST_REQUEST("MalformedPOSTRequest", 400, "The body of your POST request is not well-formed multipart/form-data."),
  MAX_MESSAGE_LENGTH_EXCEEDED("MaxMessageLengthExceeded", 400, "Your request was too big."),
  /** The fields of a POST Object form before its file exceed 20 KB. */
  MAX_POST_PRE_DATA_LENGTH_EXCEEDED("MaxPostPreDataLengthExceededError", 400, "Your POST request fields preceding the upload file were too large."),
  METADATA_TOO_LARGE("MetadataTooLarge", 400, "Your metadata headers exceed the maximum allowed metadata size."),
  METHOD_NOT_ALLOWED("MethodNotAllowed", 405, "The specified method is not allowed against this resource."),
  MISSING_CONTENT_LENGTH("MissingContentLength", 411, "You must provide the Content-Length HTTP header."),
  MISSING_REQUEST_BODY_ERROR("MissingRequestBodyError", 400, "Request Body is empty."),
  MISSING_SECURITY_HEADER("MissingSecurityHeader", 400, "Your request is missing a required header."),
  NO_SUCH_BUCKET("NoSuchBucket", 404, "The specified bucket does not exist"),
  NO_SUCH_KEY("NoSuchKey", 404, "The specified key does not exist."),
  NO_SUCH_UPLOAD("NoSuchUpload", 404, "The specified upload does not exist. The upload ID may be invalid, or the upload may have been aborted or completed."),
  NO_SUCH_VERSION("NoSuchVersion", 404, "The specified version does not exist."),
  NO_SUCH_BUCKET_POLICY("NoSuchBucketPolicy", 404, "The bucket policy does not exist"),
  NO_SUCH_PUBLIC_ACCESS_BLOCK_CONFIGURATION("NoSuchPublicAccessBlockConfiguration", 404,
      "The public access block configuration was not found"),
  NO_SUCH_CORS_CONFIGURATION("NoSuchCORSConfiguration", 404, "The CORS configuration does not exist"),
  NO_SUCH_LIFECYCLE_CONFIGURATION("NoSuchLifecycleConfiguration", 404, "The lifecycle configuration does not exist"),
  NO_SUCH_TAG_SET("NoSuchTagSet", 404, "The TagSet does not exist"),
  NOT_IMPLEMENTED("NotImplemented", 501, "A header or query you provided implies functionality that is not implemented."),
  NOT_MODIFIED("NotModified", 304, "Not Modified"),
  PRECONDITION_FAILED("PreconditionFailed", 412, "At least one of the pre-conditions you specified did not hold"),
  CONDITIONAL_REQUEST_CONFLICT("ConditionalRequestConflict", 409, "A conflicting operation occurred. If using PutObject you can retry the request. If using CompleteMultipartUpload you should create a new upload and try again."),
  REQUEST_TIMEOUT("RequestTimeout", 400, "Your socket connection to the server was not read from or written to within the timeout period."),
  REQUEST_TIME_TOO_SKEWED("RequestTimeTooSkewed", 403, "The difference between the request time and the server's time is too large."),
  REQUEST_HEADER_SECTION_TOO_LARGE("RequestHeaderSectionTooLarge", 400, "Your request header section exceeds the maximum allowed size."),
  SIGNATURE_DOES_NOT_MATCH("SignatureDoesNotMatch", 403, "The request signature we calculated does not match the signature you provided. Check your key and signing method."),
  SERVICE_UNAVAILABLE("ServiceUnavailable", 503, "Please reduce your request rate."),
  SLOW_DOWN("SlowDown", 503, "Please reduce your request rate."),
  TOO_MANY_BUCKETS("TooManyBuckets", 400, "You have attempted to create more buckets than allowed."),
  UNEXPECTED_CONTENT("UnexpectedContent", 400, "This request does not support content."),
  UNRESOLVABLE_GRANT_BY_EMAIL_ADDRESS("UnresolvableGrantByEmailAddress", 400, "The email address you provided does not match any account on record."),
  X_AMZ_CONTENT_SHA256_MISMATCH("XAmzContentSHA256Mismatch", 400, "The provided 'x-amz-content-sha256' header does not match what was computed."),
  INVALID_CHUNK_SIZE_ERROR("InvalidChunkSizeError", 403, "Only the last chunk is allowed to have a size less than 8192 bytes"),
  INVALID_TOKEN("InvalidToken", 400, "The provided token is malformed or otherwise invalid."),
  MALFORMED_TRAILER_ERROR("MalformedTrailerError", 400, "The request contained trailing data that was not well-formed or did not conform to our published schema."),
  BAD_REQUEST("BadRequest", 400, "Bad Request"),
  /**
   * Not an AWS code: S3 never runs out of space. MinIO answers {@code XMinioStorageFull} with 507
   * Insufficient Storage (RFC 4918 section 11.5); Tarn keeps the status and names the code without a
   * vendor prefix. 507 rather than 503: a full disk is not transient, and SDKs retry 503 with backoff
   * (boto3's legacy mode retries 429, 500, 502, 503, 504 and 509, its standard mode 500, 502, 503,
   * 504 and SlowDown by name, https://docs.aws.amazon.com/boto3/latest/guide/retries.html; the
   * standard mode is common to the AWS SDKs,
   * https://docs.aws.amazon.com/sdkref/latest/guide/feature-retry-behavior.html), while 507 is
   * retried by none: the client fails at once with this message (boto3: 0 retries, seen).
   */
  STORAGE_FULL("StorageFull", 507, "The server's storage is full. Delete objects or free disk space, then retry."),
  /** BucketOwnerEnforced asked for while the bucket's ACL grants others (PutBucketOwnershipControls, CreateBucket). */
  INVALID_BUCKET_ACL_WITH_OBJECT_OWNERSHIP("InvalidBucketAclWithObjectOwnership", 400,
      "Bucket cannot have ACLs set with ObjectOwnership's BucketOwnerEnforced setting"),
  OWNERSHIP_CONTROLS_NOT_FOUND_ERROR("OwnershipControlsNotFoundError", 404,
      "The bucket ownership controls were not found");

  private final String code;
  private final int httpStatus;
  private final String message;

  S3Error(String code, int httpStatus, String message) {
    this.code = code;
    this.httpStatus = httpStatus;
    this.message = message;
  }

  /** The wire code, e.g. {@code NoSuchKey}. */
  public String code() {
    return code;
  }

  public int httpStatus() {
    return httpStatus;
  }

  public String defaultMessage() {
    return message;
  }
}
