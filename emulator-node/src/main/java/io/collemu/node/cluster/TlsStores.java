package io.collemu.node.cluster;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.UnrecoverableKeyException;
import java.util.Collections;

/**
 * Opens the TLS key and trust stores up front, as Artery will, so that a wrong file or password is one line naming
 * the flag instead of a failure deep inside the transport's start. Stateless.
 */
final class TlsStores {
    private TlsStores() {
    }

    /** Throws {@link IllegalArgumentException} naming the flag if a store does not open or holds nothing usable. */
    static void check(ClusterSettings.Tls tls) {
        if (tls.password() == null || tls.password().isEmpty()) {
            throw new IllegalArgumentException("--tls-password (or COLLEMU_TLS_PASSWORD) is needed with "
                    + "--tls-keystore");
        }
        char[] pw = tls.password().toCharArray();
        KeyStore keys = open("--tls-keystore", tls.keyStore(), pw);
        try {
            boolean unlocked = false;
            for (String alias : Collections.list(keys.aliases())) {
                if (keys.isKeyEntry(alias)) {
                    try {
                        keys.getKey(alias, pw); // Artery opens the key with the same password
                        unlocked = true;
                    } catch (UnrecoverableKeyException e) {
                        throw new IllegalArgumentException("--tls-keystore " + tls.keyStore() + ": the password "
                                + "opens the store but not its key '" + alias + "'");
                    }
                }
            }
            if (!unlocked) {
                throw new IllegalArgumentException("--tls-keystore " + tls.keyStore() + ": holds no private key "
                        + "(a trust store?); every member needs the key pair (keytool -genkeypair, see README)");
            }
            if (tls.trustStore() != null) {
                KeyStore trust = open("--tls-truststore", tls.trustStore(), pw);
                boolean anyCertificate = false;
                for (String alias : Collections.list(trust.aliases())) {
                    anyCertificate |= trust.getCertificate(alias) != null;
                }
                if (!anyCertificate) {
                    throw new IllegalArgumentException("--tls-truststore " + tls.trustStore()
                            + ": holds no certificate to trust");
                }
            }
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("--tls-keystore " + tls.keyStore() + ": " + e.getMessage());
        }
    }

    private static KeyStore open(String flag, Path file, char[] password) {
        if (Files.isDirectory(file)) {
            throw new IllegalArgumentException(flag + " " + file + ": is a directory, not a key store");
        }
        if (!Files.isReadable(file)) {
            throw new IllegalArgumentException(flag + " " + file + ": cannot read it (" + (Files.exists(file)
                    ? "permission denied" : "no such file") + ")");
        }
        try (InputStream in = Files.newInputStream(file)) {
            KeyStore ks = KeyStore.getInstance(KeyStore.getDefaultType()); // what Artery's provider loads
            ks.load(in, password);
            return ks;
        } catch (IOException e) {
            if (e.getCause() instanceof UnrecoverableKeyException) {
                throw new IllegalArgumentException(flag + " " + file + ": wrong password (--tls-password or "
                        + "COLLEMU_TLS_PASSWORD)");
            }
            throw new IllegalArgumentException(flag + " " + file + ": not a PKCS12 key store (make one with "
                    + "keytool -genkeypair -storetype PKCS12, see README)");
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException(flag + " " + file + ": not a PKCS12 key store (" + e.getMessage()
                    + ")");
        }
    }
}
