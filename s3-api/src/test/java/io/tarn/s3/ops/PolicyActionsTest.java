package io.tarn.s3.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.tarn.s3.route.CopySource;
import io.tarn.s3.route.ResponseOverrides;
import io.tarn.s3.route.S3Operation;
import io.tarn.storage.access.policy.BucketPolicy;
import io.tarn.storage.access.policy.MalformedPolicyException;
import java.lang.reflect.Constructor;
import java.lang.reflect.Method;
import java.lang.reflect.RecordComponent;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * The IAM action of every S3 operation: the table below is the "Required permissions for Amazon S3 API
 * operations" page (https://docs.aws.amazon.com/AmazonS3/latest/userguide/using-with-s3-policy-actions.html),
 * checked against the operations of {@link S3Operation.Visitor}, so that no operation is left out; each
 * action is one the policy engine knows, on the resource type it applies to.
 */
class PolicyActionsTest {
  private static final Map<String, String> EXPECTED = new LinkedHashMap<>();

  static {
    EXPECTED.put("ListBuckets", null);
    EXPECTED.put("Console", null);
    EXPECTED.put("CreateBucket", "s3:CreateBucket");
    EXPECTED.put("HeadBucket", "s3:ListBucket");
    EXPECTED.put("DeleteBucket", "s3:DeleteBucket");
    EXPECTED.put("GetBucketLocation", "s3:GetBucketLocation");
    EXPECTED.put("ListObjects", "s3:ListBucket");
    EXPECTED.put("ListObjectsV2", "s3:ListBucket");
    EXPECTED.put("ListMultipartUploads", "s3:ListBucketMultipartUploads");
    EXPECTED.put("DeleteObjects", null); // each key: s3:DeleteObject, below
    EXPECTED.put("GetBucketAcl", "s3:GetBucketAcl");
    EXPECTED.put("PutBucketAcl", "s3:PutBucketAcl");
    EXPECTED.put("GetBucketOwnershipControls", "s3:GetBucketOwnershipControls");
    EXPECTED.put("PutBucketOwnershipControls", "s3:PutBucketOwnershipControls");
    EXPECTED.put("DeleteBucketOwnershipControls", "s3:PutBucketOwnershipControls");
    EXPECTED.put("PostObject", null); // checked as PutObject of the form's key
    EXPECTED.put("GetBucketNotification", "s3:GetBucketNotification");
    EXPECTED.put("GetBucketVersioning", "s3:GetBucketVersioning");
    EXPECTED.put("PutObject", "s3:PutObject");
    EXPECTED.put("CopyObject", "s3:PutObject");
    EXPECTED.put("GetObject", "s3:GetObject");
    EXPECTED.put("HeadObject", "s3:GetObject");
    EXPECTED.put("DeleteObject", "s3:DeleteObject");
    EXPECTED.put("GetObjectAcl", "s3:GetObjectAcl");
    EXPECTED.put("PutObjectAcl", "s3:PutObjectAcl");
    EXPECTED.put("GetObjectAttributes", "s3:GetObjectAttributes");
    EXPECTED.put("CreateMultipartUpload", "s3:PutObject");
    EXPECTED.put("UploadPart", "s3:PutObject");
    EXPECTED.put("UploadPartCopy", "s3:PutObject");
    EXPECTED.put("CompleteMultipartUpload", "s3:PutObject");
    EXPECTED.put("AbortMultipartUpload", "s3:AbortMultipartUpload");
    EXPECTED.put("ListParts", "s3:ListMultipartUploadParts");
    EXPECTED.put("GetBucketPolicy", "s3:GetBucketPolicy");
    EXPECTED.put("PutBucketPolicy", "s3:PutBucketPolicy");
    EXPECTED.put("DeleteBucketPolicy", "s3:DeleteBucketPolicy");
    EXPECTED.put("GetBucketPolicyStatus", "s3:GetBucketPolicyStatus");
    EXPECTED.put("GetPublicAccessBlock", "s3:GetBucketPublicAccessBlock");
    EXPECTED.put("PutPublicAccessBlock", "s3:PutBucketPublicAccessBlock");
    EXPECTED.put("DeletePublicAccessBlock", "s3:PutBucketPublicAccessBlock");
  }

  @Test
  void everyOperationOfTheVisitorMapsToItsActionAndResource() throws Exception {
    Set<String> seen = new TreeSet<>();
    for (Method m : S3Operation.Visitor.class.getDeclaredMethods()) {
      Class<?> type = m.getParameterTypes()[0];
      S3Operation op = instance(type);
      String name = type.getSimpleName();
      seen.add(name);
      assertTrue(EXPECTED.containsKey(name), name + " has no expected action: add it to the table");
      PolicyActions.PolicyTarget t = PolicyActions.of(op);
      String expected = EXPECTED.get(name);
      if (expected == null) {
        assertNull(t, name);
        continue;
      }
      assertNotNull(t, name);
      assertEquals(expected, t.action(), name);
      assertEquals("bkt", t.bucket(), name);
      boolean objectOp = op instanceof S3Operation.ObjectOperation;
      assertEquals(objectOp ? "arn:aws:s3:::bkt/dir/k" : "arn:aws:s3:::bkt", t.resource(), name);
      assertAppliesTo(t.action(), t.resource(), name);
    }
    assertEquals(new TreeSet<>(EXPECTED.keySet()), seen, "the table names an operation the visitor lacks");
  }

  @Test
  void aCopysSourceIsReadAndDeleteObjectsDeletesEachKey() throws Exception {
    assertEquals(new PolicyActions.PolicyTarget("s3:GetObject", "src", "arn:aws:s3:::src/a/b"),
        PolicyActions.read("src", "a/b"));
    assertEquals(new PolicyActions.PolicyTarget("s3:DeleteObject", "bkt", "arn:aws:s3:::bkt/k"),
        PolicyActions.delete("bkt", "k"));
  }

  /** The engine refuses an unknown action, or one that applies to none of the statement's resources. */
  private static void assertAppliesTo(String action, String resource, String op) {
    String doc = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":\"*\","
        + "\"Action\":\"" + action + "\",\"Resource\":\"" + resource + "\"}]}";
    try {
      BucketPolicy.parse(doc, "bkt");
    } catch (MalformedPolicyException e) {
      fail(op + ": " + action + " on " + resource + ": " + e.getMessage());
    }
  }

  private static S3Operation instance(Class<?> type) throws Exception {
    RecordComponent[] components = type.getRecordComponents();
    Class<?>[] types = new Class<?>[components.length];
    Object[] args = new Object[components.length];
    for (int i = 0; i < components.length; i++) {
      types[i] = components[i].getType();
      args[i] = value(components[i].getName(), types[i]);
    }
    Constructor<?> c = type.getDeclaredConstructor(types);
    return (S3Operation) c.newInstance(args);
  }

  private static Object value(String name, Class<?> type) {
    if (type == String.class) {
      return switch (name) {
        case "bucket" -> "bkt";
        case "key" -> "dir/k";
        default -> "x";
      };
    }
    if (type == int.class) {
      return 1;
    }
    if (type == boolean.class) {
      return false;
    }
    if (type == Set.class) {
      return Set.of();
    }
    if (type == CopySource.class) {
      return new CopySource("src", "s/k");
    }
    if (type == ResponseOverrides.class) {
      return ResponseOverrides.NONE;
    }
    throw new AssertionError("no test value for " + type);
  }
}
