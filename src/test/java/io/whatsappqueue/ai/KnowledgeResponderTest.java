package io.whatsappqueue.ai;

import io.whatsappqueue.ai.ClinicKnowledge.Faq;
import io.whatsappqueue.ai.ClinicKnowledge.OpeningHours;
import io.whatsappqueue.ai.ClinicKnowledge.Service;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class KnowledgeResponderTest {

    private static final ClinicKnowledge CLINIC = new ClinicKnowledgeLoader().load(null);
    private static final String THANKS = "You're welcome! If there is anything else, just send us a message here.";

    private final KnowledgeResponder responder = new KnowledgeResponder(CLINIC);

    @Test
    void openingHoursAreAnsweredDayByDay() {
        String answer = responder.answer("What are your opening hours?");

        assertTrue(answer.startsWith("Our opening hours:\nMonday: 08:00–18:30\n"), answer);
        assertTrue(answer.endsWith("Sunday: closed"), answer);
    }

    @Test
    void addressIsAnsweredForLocationAndDirectionQuestions() {
        String expected = "You can find us at " + CLINIC.address() + ".";

        assertEquals(expected, responder.answer("Where are you located?"));
        assertEquals(expected, responder.answer("How do I get directions to the clinic"));
        assertEquals(expected, responder.answer("¿DÓNDE están?"), "accents and case do not matter");
    }

    @Test
    void priceOfANamedServiceIsAnsweredAlone() {
        String answer = responder.answer("How much is a blood test?");

        assertEquals("Blood test: £45 (10 minutes)\n"
                + "Sample taken at the clinic; results usually within three working days.", answer);
    }

    @Test
    void priceOfAPartlyNamedServiceIsAnsweredWhenOnlyOneFits() {
        assertTrue(responder.answer("how much for physio?").startsWith("Physiotherapy session: £70"));
        assertTrue(responder.answer("What does a consultation cost").startsWith("GP consultation: £65"));
    }

    @Test
    void priceListIsAnsweredWhenNoServiceIsNamed() {
        String answer = responder.answer("What are your prices?");

        assertEquals("""
                Our prices:
                • GP consultation: £65 (15 minutes)
                • Blood test: £45 (10 minutes)
                • Travel vaccination consultation: £40 (20 minutes)
                • Child health check: £55 (30 minutes)
                • Physiotherapy session: £70 (45 minutes)""", answer);
    }

    @Test
    void phoneIsAnswered() {
        assertEquals("You can call us on +44 20 7946 0000.", responder.answer("what's your phone number"));
    }

    @Test
    void faqIsAnsweredByKeyword() {
        assertEquals(CLINIC.faq().get(1).answer(), responder.answer("Do you take BUPA?"));
        assertEquals(CLINIC.faq().get(3).answer(), responder.answer("Can I park nearby?"));
    }

    @Test
    void moreSpecificFaqWinsWhenKeywordsOfTwoMatch() {
        // "appointment" is a keyword of booking too; the cancel question is the closer one.
        assertEquals(CLINIC.faq().get(2).answer(), responder.answer("How can I cancel my appointment?"));
    }

    @Test
    void faqIsAnsweredByQuestionPhraseWithoutKeywords() {
        ClinicKnowledge noKeywords = new ClinicKnowledge("Tiny Clinic", OpeningHours.ofText("Weekdays 9-5"),
                "1 High Street", "+44 20 7946 0001", List.of(new Service("Check-up", "£30", Optional.empty(), Optional.empty())),
                List.of(new Faq("Do you offer home visits?", "Yes, within two miles.", List.of()),
                        new Faq("Can I bring my dog?", "Only assistance dogs, please.", List.of())),
                Optional.empty(), Optional.empty(), Optional.empty());
        KnowledgeResponder tiny = new KnowledgeResponder(noKeywords);

        assertEquals("Yes, within two miles.", tiny.answer("do you do home visits"));
        assertEquals("Only assistance dogs, please.", tiny.answer("can i bring my dogs"));
        assertEquals(noKeywords.fallbackText(), tiny.answer("do you sell visits to the moon"));
    }

    @Test
    void severalQuestionsInOneMessageAreAllAnswered() {
        String answer = responder.answer("How much is a blood test and where are you?");

        assertTrue(answer.startsWith("Blood test: £45"), answer);
        assertTrue(answer.endsWith("\n\nYou can find us at " + CLINIC.address() + "."), answer);
    }

    @ParameterizedTest
    @ValueSource(strings = {"hi", "Hello!", "good morning", "Good Evening team", "olá", "OLA", "oi", "привет",
            "Здравствуйте!", "buenos días", "hey there 👋"})
    void plainGreetingTakesTheFastPath(String text) {
        assertEquals(Optional.of(CLINIC.greetingText()), responder.fastPath(text));
        assertEquals(CLINIC.greetingText(), responder.answer(text));
    }

    @ParameterizedTest
    @ValueSource(strings = {"thanks", "Thank you so much! 🙏", "ok thanks", "obrigada", "muchas gracias", "спасибо",
            "hi, thanks"})
    void plainThanksTakesTheFastPath(String text) {
        assertEquals(Optional.of(THANKS), responder.fastPath(text));
    }

    @ParameterizedTest
    @ValueSource(strings = {"hi, when do you open?", "hello can I book", "thanks, how much is a blood test", "ok", "👍", ""})
    void greetingWithAQuestionDoesNotTakeTheFastPath(String text) {
        assertFalse(responder.fastPath(text).isPresent());
    }

    @Test
    void greetingWithAQuestionIsAnsweredFromTheFile() {
        assertTrue(responder.answer("Hi! When do you open on Saturday?").startsWith("Our opening hours:"));
    }

    @Test
    void unrecognisedQuestionGetsTheFallbackText() {
        assertEquals(CLINIC.fallbackText(), responder.answer("My cat ate my homework"));
        assertEquals(CLINIC.fallbackText(), responder.answer("👍"));
    }

    @Test
    void sameTextAlwaysGetsTheSameAnswer() {
        String text = "Do you see children, and what are your prices?";

        assertEquals(responder.answer(text), new KnowledgeResponder(CLINIC).answer(text));
    }
}
