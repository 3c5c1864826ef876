package dev.proxima.ppo.archive;

import dev.proxima.ppo.model.ActorCritic;
import dev.proxima.ppo.model.ValueNormalizer;
import dev.proxima.vecenv.ObservationNormalizer;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;

/**
 * The checkpoint format, "proxima-policy/1" ("/2" when the value targets' statistics are in it): one zip holding {@code policy.properties} (format,
 * action space, observation normaliser, which actor outputs are state-independent, the value
 * targets' statistics under normalizeValue),
 * {@code actor.zip} and, with separate networks, {@code critic.zip} (DL4J models with their Adam
 * state), {@code sde.bin} under gSDE, and {@code training.properties} when the archive is a
 * training checkpoint ({@link TrainingState}). Checkpoints in users' databases are in this
 * format: entry names and contents must stay readable.
 */
public final class PolicyArchive {

    private static final String FORMAT = "proxima-policy/1";
    /**
     * An archive whose critic outputs normalised values (normalizeValue): a build that reads
     * only /1 would ignore the statistics and serve normalised values as values, so it must
     * refuse the archive instead.
     */
    private static final String FORMAT_VALUE_NORMALIZED = "proxima-policy/2";
    private static final String META = "policy.properties";
    private static final String ACTOR = "actor.zip";
    private static final String CRITIC = "critic.zip";
    private static final String SDE = "sde.bin";
    private static final String TRAINING = "training.properties";

    private PolicyArchive() {
    }

    /** What an archive holds; {@code normalizer} and {@code trainingState} may be null. */
    public record Contents(ActorCritic model, ObservationNormalizer normalizer, TrainingState trainingState) {
    }

    /** The model with its Adam state, the normaliser (null: none) and the training state (null: a bare policy). */
    public static byte[] write(ActorCritic model, ObservationNormalizer normalizer, TrainingState trainingState) {
        ActorCritic.Saved saved = model.save();
        Properties meta = new Properties();
        if (normalizer != null) {
            ObservationNormalizers.write(normalizer, meta);
        }
        meta.setProperty("format", saved.valueNormalizer() == null ? FORMAT : FORMAT_VALUE_NORMALIZED);
        meta.setProperty("stateIndependentFrom", Integer.toString(saved.stateIndependentFrom()));
        meta.setProperty("stateIndependentTo", Integer.toString(saved.stateIndependentTo()));
        meta.setProperty("fixedLogStd", Boolean.toString(saved.fixedLogStd()));
        ActionSpaces.write(saved.actionSpace(), meta);
        if (saved.valueNormalizer() != null) {
            meta.setProperty("valueNorm.mean", Double.toString(saved.valueNormalizer().mean()));
            meta.setProperty("valueNorm.var", Double.toString(saved.valueNormalizer().variance()));
            meta.setProperty("valueNorm.count", Double.toString(saved.valueNormalizer().count()));
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
            StringWriter text = new StringWriter();
            meta.store(text, null);
            put(zip, META, text.toString().getBytes(StandardCharsets.UTF_8));
            put(zip, ACTOR, saved.actor());
            if (saved.critic() != null) {
                put(zip, CRITIC, saved.critic());
            }
            if (saved.sde() != null) {
                put(zip, SDE, saved.sde());
            }
            if (trainingState != null) {
                put(zip, TRAINING, trainingState.toBytes());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /** Reads an archive; without the optimizer state the model is for inference (a third of the memory). */
    public static Contents read(byte[] archive, boolean withOptimizerState) {
        Map<String, byte[]> entries = entries(archive);
        Properties meta = new Properties();
        try {
            meta.load(new StringReader(new String(entries.get(META), StandardCharsets.UTF_8)));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read policy archive", e);
        }
        String format = meta.getProperty("format");
        if (!FORMAT.equals(format) && !FORMAT_VALUE_NORMALIZED.equals(format)) {
            throw new IllegalArgumentException("not a policy archive: " + meta.getProperty("format"));
        }
        ObservationNormalizer normalizer = ObservationNormalizers.read(meta);
        ActorCritic.Saved saved = new ActorCritic.Saved(entries.get(ACTOR),
                Integer.parseInt(meta.getProperty("stateIndependentFrom")),
                Integer.parseInt(meta.getProperty("stateIndependentTo", "-1")),
                Boolean.parseBoolean(meta.getProperty("fixedLogStd")), entries.get(CRITIC), entries.get(SDE),
                ActionSpaces.read(meta), valueNormalizer(meta));
        return new Contents(ActorCritic.load(saved, withOptimizerState), normalizer,
                TrainingState.fromEntry(entries.get(TRAINING)));
    }

    /** normalizeValue's statistics; null when the critic outputs values as they are (archives before it too). */
    private static ValueNormalizer valueNormalizer(Properties meta) {
        String mean = meta.getProperty("valueNorm.mean");
        return mean == null ? null : ValueNormalizer.restore(Double.parseDouble(mean),
                Double.parseDouble(meta.getProperty("valueNorm.var")),
                Double.parseDouble(meta.getProperty("valueNorm.count")));
    }

    /** Whether an archive is a training checkpoint, not a bare policy. */
    public static boolean hasTrainingState(byte[] archive) {
        return entries(archive).containsKey(TRAINING);
    }

    private static Map<String, byte[]> entries(byte[] archive) {
        Map<String, byte[]> entries = new HashMap<>();
        try (ZipInputStream zip = new ZipInputStream(new ByteArrayInputStream(archive))) {
            for (ZipEntry entry; (entry = zip.getNextEntry()) != null; ) {
                entries.put(entry.getName(), zip.readAllBytes());
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read policy archive", e);
        }
        return entries;
    }

    private static void put(ZipOutputStream zip, String name, byte[] content) throws IOException {
        zip.putNextEntry(new ZipEntry(name));
        zip.write(content);
        zip.closeEntry();
    }
}
