/**
 * S3 access control in Tarn's terms: ACLs ({@link io.tarn.storage.access.Acl}), canned ACLs,
 * Object Ownership. Unlike the other sub-packages of {@code storage}, this one is part of the
 * module's contract: the S3 front end and the console API decide access with these types. It knows
 * neither HTTP nor XML.
 */
package io.tarn.storage.access;
