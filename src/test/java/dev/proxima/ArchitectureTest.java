package dev.proxima;

import static com.tngtech.archunit.base.DescribedPredicate.not;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAnyPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/**
 * The training core (PPO, the environments, vectorised environments) is plain Java on DL4J: it
 * knows nothing of Spring, JPA or the web, nor of the features that serve it. The top-level
 * packages depend on each other one way only. The patterns end in {@code ..} so that the rules
 * hold for sub-packages too.
 */
@AnalyzeClasses(packages = "dev.proxima", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {

    private static final String[] CORE = {"dev.proxima.ppo..", "dev.proxima.env..", "dev.proxima.vecenv..",
            "dev.proxima.vec.."};

    private static final DescribedPredicate<JavaClass> CORE_CLASSES =
            resideInAnyPackage(CORE).as("the training core");

    @ArchTest
    static final ArchRule coreIsFreeOfSpringPersistenceAndWeb = noClasses().that(CORE_CLASSES)
            .should().dependOnClassesThat().resideInAnyPackage(
                    "org.springframework..",
                    "jakarta.persistence..", "org.hibernate..",
                    "jakarta.servlet..", "jakarta.validation..",
                    "io.swagger..", "org.springdoc..",
                    "com.github.kagkarlsson..");

    @ArchTest
    static final ArchRule coreDoesNotDependOnTheFeatures = noClasses().that(CORE_CLASSES)
            .should().dependOnClassesThat(resideInAPackage("dev.proxima..").and(not(CORE_CLASSES))
                    .as("the feature packages (job, policy, envapi, web, ...) or the application"));

    /** The Java runner is a client: copied into a user's JVM project, it may need nothing but the JDK and Jackson. */
    @ArchTest
    static final ArchRule theJavaRunnerNeedsOnlyTheJdkAndJackson = classes().that().resideInAPackage("dev.proxima.client..")
            .should().onlyDependOnClassesThat().resideInAnyPackage("java..", "com.fasterxml.jackson..",
                    "dev.proxima.client..");

    @ArchTest
    static final ArchRule topLevelPackagesAreFreeOfCycles = slices().matching("dev.proxima.(*)..")
            .should().beFreeOfCycles();
}
