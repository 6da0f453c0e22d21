// Prints the OWL 2 DL profile violations of the ontology made of the given documents (merged), then their count.
// Run with the OWL API on the class path (owlready2 ships it inside HermiT.jar): java -cp HermiT.jar DLProfile.java
import java.io.File;
import org.semanticweb.owlapi.apibinding.OWLManager;
import org.semanticweb.owlapi.model.IRI;
import org.semanticweb.owlapi.model.OWLOntology;
import org.semanticweb.owlapi.model.OWLOntologyManager;
import org.semanticweb.owlapi.profiles.OWL2DLProfile;
import org.semanticweb.owlapi.profiles.OWLProfileViolation;
import org.semanticweb.owlapi.util.OWLOntologyMerger;

public class DLProfile {
    public static void main(String[] args) throws Exception {
        OWLOntologyManager manager = OWLManager.createOWLOntologyManager();
        manager.setSilentMissingImportsHandling(true);
        for (String path : args) {
            manager.loadOntologyFromOntologyDocument(new File(path));
        }
        OWLOntology merged = new OWLOntologyMerger(manager).createMergedOntology(
            OWLManager.createOWLOntologyManager(), IRI.create("urn:x-merged"));
        int count = 0;
        for (OWLProfileViolation v : new OWL2DLProfile().checkOntology(merged).getViolations()) {
            System.out.println(v);
            count++;
        }
        System.out.println(count + " violations");
    }
}
