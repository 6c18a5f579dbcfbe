// Runs EPUBCheck on many books in one JVM (EPUBCheck's own command line takes one book per start-up).
// Usage: java -cp epubcheck.jar:lib/* CheckMany.java book.epub ...
//    or: java -cp epubcheck.jar:lib/* CheckMany.java -   (one path a line on stdin, each answered as it comes:
//        the tests keep one JVM for a whole session instead of paying its start-up for every book they make)
// Prints one line per book: "RESULT <fatals> <errors> <warnings> <path>", after EPUBCheck's own messages.
import com.adobe.epubcheck.api.EpubCheck;
import com.adobe.epubcheck.util.DefaultReportImpl;
import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;

public class CheckMany {
    public static void main(String[] args) throws IOException {
        if (args.length == 1 && args[0].equals("-")) {
            BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
            for (String path = in.readLine(); path != null; path = in.readLine()) {
                check(path);
            }
            return;
        }
        for (String path : args) {
            check(path);
        }
    }

    private static void check(String path) {
        DefaultReportImpl report = new DefaultReportImpl(path);
        new EpubCheck(new File(path), report).doValidate();
        System.err.println("RESULT " + report.getFatalErrorCount() + " " + report.getErrorCount() + " "
                + report.getWarningCount() + " " + path);
        System.err.flush();
    }
}
