package io.tarn.storage.access.policy;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Every action of the {@code s3} service prefix, as listed by the Service Authorization Reference
 * (https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazons3.html), with the
 * resource type it applies to. A policy may name actions Tarn does not serve yet (a policy written for
 * AWS must still be accepted); an action outside this list, or of another service, is refused, as S3
 * refuses it ("Policy has invalid action"). The resource type lets the parser refuse, as S3 does, a
 * statement whose actions apply to none of its resources (s3:GetObject on the bucket ARN alone:
 * "Action does not apply to any resource(s) in statement").
 */
final class S3Actions {
  /** What an action applies to. */
  enum Target {
    /** {@code arn:aws:s3:::bucket/key}. */
    OBJECT,
    /** {@code arn:aws:s3:::bucket}. */
    BUCKET,
    /** An account, access point, job or Storage Lens resource: never a bucket policy's resource. */
    OTHER
  }

  record Action(String name, String lower, Target target) {}

  // O = object, B = bucket, X = other. Names without the "s3:" prefix.
  private static final String TABLE = """
      O AbortMultipartUpload
      B AllowVendedLogDeliveryForResource
      X AssociateAccessGrantsIdentityCenter
      O BypassGovernanceRetention
      X CreateAccessGrant
      X CreateAccessGrantsInstance
      X CreateAccessGrantsLocation
      X CreateAccessPoint
      X CreateAccessPointForObjectLambda
      B CreateBucket
      B CreateBucketMetadataConfiguration
      B CreateBucketMetadataTableConfiguration
      X CreateJob
      X CreateMultiRegionAccessPoint
      X CreateStorageLensGroup
      X DeleteAccessGrant
      X DeleteAccessGrantsInstance
      X DeleteAccessGrantsInstanceResourcePolicy
      X DeleteAccessGrantsLocation
      X DeleteAccessPoint
      X DeleteAccessPointForObjectLambda
      X DeleteAccessPointPolicy
      X DeleteAccessPointPolicyForObjectLambda
      B DeleteBucket
      B DeleteBucketMetadataConfiguration
      B DeleteBucketMetadataTableConfiguration
      B DeleteBucketOwnershipControls
      B DeleteBucketPolicy
      B DeleteBucketWebsite
      X DeleteJobTagging
      X DeleteMultiRegionAccessPoint
      O DeleteObject
      O DeleteObjectTagging
      O DeleteObjectVersion
      O DeleteObjectVersionTagging
      X DeleteStorageLensConfiguration
      X DeleteStorageLensConfigurationTagging
      X DeleteStorageLensGroup
      X DescribeJob
      X DescribeMultiRegionAccessPointOperation
      X DissociateAccessGrantsIdentityCenter
      B GetAccelerateConfiguration
      X GetAccessGrant
      X GetAccessGrantsInstance
      X GetAccessGrantsInstanceForPrefix
      X GetAccessGrantsInstanceResourcePolicy
      X GetAccessGrantsLocation
      X GetAccessPoint
      X GetAccessPointConfigurationForObjectLambda
      X GetAccessPointForObjectLambda
      X GetAccessPointPolicy
      X GetAccessPointPolicyForObjectLambda
      X GetAccessPointPolicyStatus
      X GetAccessPointPolicyStatusForObjectLambda
      X GetAccountPublicAccessBlock
      B GetAnalyticsConfiguration
      B GetBucketAbac
      B GetBucketAcl
      B GetBucketCORS
      B GetBucketLocation
      B GetBucketLogging
      B GetBucketMetadataConfiguration
      B GetBucketMetadataTableConfiguration
      B GetBucketNotification
      B GetBucketObjectLockConfiguration
      B GetBucketOwnershipControls
      B GetBucketPolicy
      B GetBucketPolicyStatus
      B GetBucketPublicAccessBlock
      B GetBucketRequestPayment
      B GetBucketTagging
      B GetBucketVersioning
      B GetBucketWebsite
      X GetDataAccess
      B GetEncryptionConfiguration
      B GetIntelligentTieringConfiguration
      B GetInventoryConfiguration
      X GetJobTagging
      B GetLifecycleConfiguration
      B GetMetricsConfiguration
      X GetMultiRegionAccessPoint
      X GetMultiRegionAccessPointPolicy
      X GetMultiRegionAccessPointPolicyStatus
      X GetMultiRegionAccessPointRoutes
      O GetObject
      O GetObjectAcl
      O GetObjectAttributes
      O GetObjectLegalHold
      O GetObjectRetention
      O GetObjectTagging
      O GetObjectTorrent
      O GetObjectVersion
      O GetObjectVersionAcl
      O GetObjectVersionAttributes
      O GetObjectVersionForReplication
      O GetObjectVersionTagging
      O GetObjectVersionTorrent
      B GetReplicationConfiguration
      X GetStorageLensConfiguration
      X GetStorageLensConfigurationTagging
      X GetStorageLensDashboard
      X GetStorageLensGroup
      O InitiateReplication
      X ListAccessGrants
      X ListAccessGrantsInstances
      X ListAccessGrantsLocations
      X ListAccessPoints
      X ListAccessPointsForObjectLambda
      X ListAllMyBuckets
      B ListBucket
      B ListBucketMultipartUploads
      B ListBucketVersions
      X ListCallerAccessGrants
      X ListJobs
      X ListMultiRegionAccessPoints
      O ListMultipartUploadParts
      X ListStorageLensConfigurations
      X ListStorageLensGroups
      B ListTagsForResource
      O ObjectOwnerOverrideToBucketOwner
      B PauseReplication
      B PutAccelerateConfiguration
      X PutAccessGrantsInstanceResourcePolicy
      X PutAccessPointConfigurationForObjectLambda
      X PutAccessPointPolicy
      X PutAccessPointPolicyForObjectLambda
      X PutAccessPointPublicAccessBlock
      X PutAccountPublicAccessBlock
      B PutAnalyticsConfiguration
      B PutBucketAbac
      B PutBucketAcl
      B PutBucketCORS
      B PutBucketLogging
      B PutBucketNotification
      B PutBucketObjectLockConfiguration
      B PutBucketOwnershipControls
      B PutBucketPolicy
      B PutBucketPublicAccessBlock
      B PutBucketRequestPayment
      B PutBucketTagging
      B PutBucketVersioning
      B PutBucketWebsite
      B PutEncryptionConfiguration
      B PutIntelligentTieringConfiguration
      B PutInventoryConfiguration
      X PutJobTagging
      B PutLifecycleConfiguration
      B PutMetricsConfiguration
      X PutMultiRegionAccessPointPolicy
      O PutObject
      O PutObjectAcl
      O PutObjectLegalHold
      O PutObjectRetention
      O PutObjectTagging
      O PutObjectVersionAcl
      O PutObjectVersionTagging
      B PutReplicationConfiguration
      X PutStorageLensConfiguration
      X PutStorageLensConfigurationTagging
      O ReplicateDelete
      O ReplicateObject
      O ReplicateTags
      O RestoreObject
      X SubmitMultiRegionAccessPointRoutes
      B TagResource
      B UntagResource
      X UpdateAccessGrantsLocation
      B UpdateBucketMetadataInventoryTableConfiguration
      B UpdateBucketMetadataJournalTableConfiguration
      X UpdateJobPriority
      X UpdateJobStatus
      O UpdateObjectEncryption
      X UpdateStorageLensGroup
      """;

  static final List<Action> ALL = load();

  private S3Actions() {}

  private static List<Action> load() {
    List<Action> out = new ArrayList<>();
    for (String line : TABLE.split("\n")) {
      String l = line.strip();
      if (l.isEmpty()) {
        continue;
      }
      Target t = switch (l.charAt(0)) {
        case 'O' -> Target.OBJECT;
        case 'B' -> Target.BUCKET;
        default -> Target.OTHER;
      };
      String name = "s3:" + l.substring(2);
      out.add(new Action(name, name.toLowerCase(Locale.ROOT), t));
    }
    return List.copyOf(out);
  }

  /** The known actions an Action pattern ({@code s3:Get*}, {@code *}) names; empty if none. */
  static List<Action> matching(Glob pattern) {
    List<Action> out = new ArrayList<>();
    for (Action a : ALL) {
      if (pattern.matches(a.lower(), null)) { // the pattern is lower-cased too
        out.add(a);
      }
    }
    return out;
  }
}
