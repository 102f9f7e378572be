package io.github.pgreplication.harness.run;

import java.nio.ByteBuffer;
import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;
import java.security.Provider;
import java.security.Security;
import java.security.spec.InvalidKeySpecException;
import java.security.spec.KeySpec;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import javax.crypto.SecretKey;
import javax.crypto.SecretKeyFactory;
import javax.crypto.SecretKeyFactorySpi;
import javax.crypto.spec.PBEKeySpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Each SCRAM login computes PBKDF2-HMAC-SHA-256 of the password over the role's salt, 4,096 iterations: about 15 ms
 * of CPU in the harness's JVM, which runs C1 only (measured here; C2's SHA intrinsics cut it to 2.5 ms, but C2 costs
 * the run more than it saves). The harness logs in thousands of times per certification, a few passwords and salts
 * each time, and a profile of a containers certification showed most of the JVM's CPU in that function.
 *
 * <p>The result depends only on its inputs, so this JCA provider, put first, answers a repeated derivation from
 * memory and hands any other to the JDK's own implementation. pgjdbc (its SCRAM client) asks JCA for
 * {@code PBKDF2WithHmacSHA256}, so no login changes: the server still checks every proof. The derived keys of the
 * run's own passwords stay in this JVM's memory, as the passwords themselves do ({@link Secrets}).
 */
public final class ScramKeyCache extends Provider {

    private static final String ALGORITHM = "PBKDF2WithHmacSHA256";
    private static final int MAX_ENTRIES = 4096;
    private static final Map<Key, byte[]> DERIVED = new ConcurrentHashMap<>();

    private record Key(String password, ByteBuffer salt, int iterations, int keyLength) {
    }

    private ScramKeyCache() {
        super("PgrhScramKeyCache", "1.0", "PBKDF2WithHmacSHA256, repeated derivations answered from memory");
        putService(new Service(this, "SecretKeyFactory", ALGORITHM, Spi.class.getName(), null, null));
    }

    /** Puts the provider first, once per JVM. */
    public static synchronized void install() {
        if (Security.getProvider("PgrhScramKeyCache") == null) {
            Security.insertProviderAt(new ScramKeyCache(), 1);
        }
    }

    /** The JDK's own PBKDF2, from the first provider that is not this one. */
    private static SecretKeyFactory jdk() throws NoSuchAlgorithmException {
        for (Provider p : Security.getProviders("SecretKeyFactory." + ALGORITHM)) {
            if (!(p instanceof ScramKeyCache)) {
                return SecretKeyFactory.getInstance(ALGORITHM, p);
            }
        }
        throw new NoSuchAlgorithmException(ALGORITHM + ": no provider but the cache");
    }

    /** The factory JCA instantiates for {@code SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256")}. */
    public static final class Spi extends SecretKeyFactorySpi {

        @Override
        protected SecretKey engineGenerateSecret(KeySpec spec) throws InvalidKeySpecException {
            if (!(spec instanceof PBEKeySpec pbe) || pbe.getSalt() == null) {
                throw new InvalidKeySpecException("a PBEKeySpec with a salt is expected");
            }
            Key key = new Key(new String(pbe.getPassword()), ByteBuffer.wrap(pbe.getSalt().clone()), pbe.getIterationCount(),
                    pbe.getKeyLength());
            byte[] derived = DERIVED.get(key);
            if (derived == null) {
                try {
                    derived = jdk().generateSecret(spec).getEncoded();
                } catch (NoSuchAlgorithmException e) {
                    throw new InvalidKeySpecException(e);
                }
                if (DERIVED.size() >= MAX_ENTRIES) {
                    DERIVED.clear();
                }
                DERIVED.put(key, derived);
            }
            return new SecretKeySpec(derived.clone(), ALGORITHM);
        }

        @Override
        protected KeySpec engineGetKeySpec(SecretKey key, Class<?> keySpec) throws InvalidKeySpecException {
            throw new InvalidKeySpecException("not supported");
        }

        @Override
        protected SecretKey engineTranslateKey(SecretKey key) throws InvalidKeyException {
            throw new InvalidKeyException("not supported");
        }
    }
}
