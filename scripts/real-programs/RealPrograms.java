import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.apache.lucene.analysis.standard.StandardAnalyzer;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.StringField;
import org.apache.lucene.document.TextField;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.SerialMergeScheduler;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.BooleanClause;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.search.TopDocs;
import org.apache.lucene.store.Directory;
import org.apache.lucene.store.MMapDirectory;
import org.apache.lucene.store.NIOFSDirectory;

/**
 * The real-program workloads of scripts/real-programs.sh, each an unchanged library or JDK tool doing its ordinary
 * job through the default file system (the JDK's, or io-engine's drop-in). Prints one line: the SHA-256 of what
 * the workload produced (compared across providers: it must not differ), then the workload's own milliseconds.
 *
 * <p>Usage: RealPrograms WORKLOAD WORK_DIR [INPUT]; WORKLOAD is javac (INPUT: a source tree), lucene-mmap,
 * lucene-niofs, h2, zipfs or files. WORK_DIR is emptied first.
 */
public final class RealPrograms {
    private static final String[] WORDS = ("alpha bravo charlie delta echo foxtrot golf hotel india juliet kilo lima "
            + "mike november oscar papa quebec romeo sierra tango uniform victor whiskey xray yankee zulu io engine "
            + "ring kernel page cache block write read flush sync merge segment index query term score").split(" ");

    public static void main(String[] args) throws Exception {
        String workload = args[0];
        Path work = Path.of(args[1]);
        deleteTree(work);
        Files.createDirectories(work);
        MessageDigest digest = MessageDigest.getInstance("SHA-256");
        long start = System.nanoTime();
        switch (workload) {
            case "javac" -> javac(Path.of(args[2]), work, digest);
            case "lucene-mmap" -> lucene(new MMapDirectory(work.resolve("index")), digest);
            case "lucene-niofs" -> lucene(new NIOFSDirectory(work.resolve("index")), digest);
            case "h2" -> h2(work, digest);
            case "zipfs" -> zipfs(work, digest);
            case "files" -> files(work, digest);
            default -> throw new IllegalArgumentException("unknown workload " + workload);
        }
        long millis = (System.nanoTime() - start) / 1_000_000;
        System.out.println(HexFormat.of().formatHex(digest.digest()) + " " + millis);
        deleteTree(work);
    }

    /** javac compiling a real source tree: the digest of every class file it wrote, in path order. */
    private static void javac(Path sources, Path work, MessageDigest digest) throws IOException {
        Path out = Files.createDirectories(work.resolve("classes"));
        List<String> options = new ArrayList<>(List.of("-d", out.toString(), "-nowarn", "-proc:none",
                "-encoding", "UTF-8", "-Xlint:none", "-XDsuppressNotes"));
        try (Stream<Path> files = Files.walk(sources)) {
            files.filter(p -> p.toString().endsWith(".java") && !p.endsWith("module-info.java"))
                    .sorted().forEach(p -> options.add(p.toString()));
        }
        JavaCompiler compiler = ToolProvider.getSystemJavaCompiler();
        int status = compiler.run(null, OutputStream.nullOutputStream(), System.err, options.toArray(String[]::new));
        if (status != 0) {
            throw new IllegalStateException("javac failed: " + status);
        }
        digestTree(out, digest);
    }

    /** Lucene indexing then searching: the digest of every query's hit count and top documents. */
    private static void lucene(Directory directory, MessageDigest digest) throws IOException {
        Random random = new Random(42);
        try (directory) {
            IndexWriterConfig config = new IndexWriterConfig(new StandardAnalyzer())
                    .setMergeScheduler(new SerialMergeScheduler()).setRAMBufferSizeMB(8);
            try (IndexWriter writer = new IndexWriter(directory, config)) {
                for (int i = 0; i < 60_000; i++) {
                    Document doc = new Document();
                    doc.add(new StringField("id", Integer.toString(i), Field.Store.YES));
                    doc.add(new TextField("body", sentence(random, 40 + random.nextInt(60)), Field.Store.YES));
                    writer.addDocument(doc);
                }
                writer.commit();
            }
            try (DirectoryReader reader = DirectoryReader.open(directory)) {
                IndexSearcher searcher = new IndexSearcher(reader);
                for (int q = 0; q < 400; q++) {
                    BooleanQuery.Builder query = new BooleanQuery.Builder();
                    query.add(new TermQuery(new Term("body", WORDS[random.nextInt(WORDS.length)])),
                            BooleanClause.Occur.MUST);
                    query.add(new TermQuery(new Term("body", WORDS[random.nextInt(WORDS.length)])),
                            BooleanClause.Occur.SHOULD);
                    TopDocs top = searcher.search(query.build(), 10);
                    digest.update(Long.toString(top.totalHits.value()).getBytes(StandardCharsets.UTF_8));
                    for (ScoreDoc hit : top.scoreDocs) {
                        digest.update(searcher.storedFields().document(hit.doc).get("id")
                                .getBytes(StandardCharsets.UTF_8));
                    }
                }
            }
        }
    }

    /** H2 in its file mode: inserts, an update, aggregates; the digest of the query results. */
    private static void h2(Path work, MessageDigest digest) throws Exception {
        String url = "jdbc:h2:file:" + work.resolve("db").toAbsolutePath();
        Random random = new Random(7);
        try (Connection c = DriverManager.getConnection(url, "sa", "")) {
            try (Statement s = c.createStatement()) {
                s.execute("CREATE TABLE item(id INT PRIMARY KEY, name VARCHAR(200), qty INT, price DECIMAL(12,2))");
            }
            c.setAutoCommit(false);
            try (PreparedStatement insert = c.prepareStatement("INSERT INTO item VALUES (?, ?, ?, ?)")) {
                for (int i = 0; i < 50_000; i++) {
                    insert.setInt(1, i);
                    insert.setString(2, sentence(random, 6));
                    insert.setInt(3, random.nextInt(1000));
                    insert.setBigDecimal(4, java.math.BigDecimal.valueOf(random.nextInt(1_000_000), 2));
                    insert.addBatch();
                    if (i % 1000 == 999) {
                        insert.executeBatch();
                        c.commit();
                    }
                }
            }
            try (Statement s = c.createStatement()) {
                s.executeUpdate("UPDATE item SET qty = qty + 1 WHERE MOD(id, 7) = 0");
                c.commit();
                s.execute("CREATE INDEX item_qty ON item(qty)");
                c.commit();
                for (String sql : List.of("SELECT COUNT(*), SUM(qty), SUM(price) FROM item",
                        "SELECT qty, COUNT(*) FROM item GROUP BY qty ORDER BY qty",
                        "SELECT id, name FROM item WHERE qty BETWEEN 100 AND 120 ORDER BY id")) {
                    try (ResultSet rs = s.executeQuery(sql)) {
                        int columns = rs.getMetaData().getColumnCount();
                        while (rs.next()) {
                            for (int i = 1; i <= columns; i++) {
                                digest.update(String.valueOf(rs.getObject(i)).getBytes(StandardCharsets.UTF_8));
                            }
                        }
                    }
                }
            }
        }
    }

    /** The JDK's zip file system: creates a zip of generated entries, reopens it, reads every entry back. */
    private static void zipfs(Path work, MessageDigest digest) throws IOException {
        Path zip = work.resolve("archive.zip");
        Random random = new Random(3);
        URI uri = URI.create("jar:" + zip.toUri());
        try (FileSystem fs = FileSystems.newFileSystem(uri, Map.of("create", "true"))) {
            for (int i = 0; i < 3000; i++) {
                Path entry = fs.getPath("/dir" + (i % 40), "entry" + i + ".txt");
                Files.createDirectories(entry.getParent());
                Files.writeString(entry, sentence(random, 20 + random.nextInt(400)));
            }
        }
        try (FileSystem fs = FileSystems.newFileSystem(uri, Map.of())) {
            digestTree(fs.getPath("/"), digest);
        }
    }

    /** Files over a tree: writes it, walks and reads it, copies it, walks and reads the copy, deletes both. */
    private static void files(Path work, MessageDigest digest) throws IOException {
        Path tree = work.resolve("tree");
        Random random = new Random(5);
        for (int i = 0; i < 3000; i++) {
            Path file = tree.resolve("d" + (i % 30)).resolve("e" + (i % 7)).resolve("f" + i + ".bin");
            Files.createDirectories(file.getParent());
            byte[] data = new byte[1 + random.nextInt(32 * 1024)];
            random.nextBytes(data);
            Files.write(file, data);
        }
        digestTree(tree, digest);
        Path copy = work.resolve("copy");
        try (Stream<Path> all = Files.walk(tree)) {
            for (Path p : all.toList()) {
                Path to = copy.resolve(tree.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(to);
                } else {
                    Files.copy(p, to, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
        digestTree(copy, digest);
        try (InputStream in = Files.newInputStream(copy.resolve("d1/e1/f1.bin"))) {
            digest.update(in.readAllBytes());
        }
        deleteTree(tree);
        deleteTree(copy);
    }

    private static String sentence(Random random, int words) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < words; i++) {
            b.append(WORDS[random.nextInt(WORDS.length)]).append(i % 12 == 11 ? ". " : " ");
        }
        return b.toString();
    }

    /** Digests every regular file under {@code root}: its path relative to the root, then its bytes. */
    private static void digestTree(Path root, MessageDigest digest) throws IOException {
        List<Path> files;
        try (Stream<Path> all = Files.walk(root)) {
            files = all.filter(Files::isRegularFile).sorted(Comparator.comparing(p -> root.relativize(p).toString()))
                    .toList();
        }
        for (Path p : files) {
            digest.update(root.relativize(p).toString().getBytes(StandardCharsets.UTF_8));
            digest.update(ByteBuffer.wrap(Files.readAllBytes(p)));
        }
    }

    private static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> all = Files.walk(root)) {
            for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
