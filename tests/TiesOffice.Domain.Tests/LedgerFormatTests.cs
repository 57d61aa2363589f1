using TiesOffice.Domain.Metadata;
using TiesOffice.Domain.Ties;

namespace TiesOffice.Domain.Tests;

/// <summary>
/// The serialized format (version 1) is unchanged by the in-memory layout: a ledger written before the faster tables
/// (address table, id tags, thread map, inline week words) must still restore, score the same and stay idempotent.
/// </summary>
public class LedgerFormatTests
{
    // Written by the engine as of commit 410747d from FormatOneMailbox(): TieLedger.Build(owner, messages).Serialize().
    private const string StoredBefore =
        "VElFUwEAAAAAAAAATkAAAAAAANB2QBFvd25lckBjb250b3NvLmNvbSAXwGIAAAAAQMX0XwAAAAAFAAAAEW5ld3NAZmFicmlrYW0uY29tSCnVyF"
        + "UypEDZNM4vz16qQGIqg0rnjGlAAAAAAAAAAAAhU2F5jQJLQBOUsHZPDElAJQAAABwAAAAGAAAAAAAAAAAAAABAxfRfAAAAADChvGIAAAAAwLq4"
        + "YgAAAACQ6l5iAAAAAEAKAAACAAAAAACAzgUZoEKytFAOBABACgAAAgAAAAAAICAYkQIgTUSiNQMAAAAAAAAAR0AAAAAAAAAzQAsAAAACAAAAy7"
        + "zSRG3hR0COay7hVo8iQAAAAAACAAAAAAAAAAAAAAABAAAAABBkZWVAZmFicmlrYW0uY29t0bkaG6nssUCu4LN1ZOafQAZzHZ0m01RAAAAAAAAA"
        + "AABUAHPXD4FTQNVqbsQ/0EZALwAAAB0AAAAFAAAAAAAAAAAAAABAxfRfAAAAAGDitGIAAAAAIBfAYgAAAAAgbg9iAAAAAEAKAAACAAAAAACAkI"
        + "+DSBTQPn9rAwBACgAAAgAAAAAAALyAam4ECSU0BAUAAAAAAAAAS0AAAAAAAAA2QAoAAAAGAAAAJ0GAAtS3RUD2ISNTovg4QAAAAAAAAAAAAAAA"
        + "AAAAAAAAAAAAAA9hbm5AY29udG9zby5jb23GIEHUtcCfQP4rpaX5cKVApEinNQBDakAAAAAAAAAAAD79Kg4L90pAZ08IQ+rsSUArAAAAIQAAAA"
        + "oAAAAAAAAAAAAAAAAw918AAAAAMKG8YgAAAACA/rRiAAAAADCWXmIAAAAAQAoAAAIAAAAAAGDDNpD1kYAtETgFAEAKAAACAAAAAADA9AMWAB0Q"
        + "CwPMAwAAAAAAAIBKQAAAAAAAADdAEgAAAAEAAACgCSrIIbJSQI2zCSu+3xJAAQAAAAAAAAAAAAAAAAAAAAEAAAAAD2JvYkBjb250b3NvLmNvbf"
        + "UHFDAOcptANwtd3gSvhUALGHUPYytvQAAAAAAAAAAA/p/9z9eRRUADzmtGyQo/QB4AAAAVAAAABAAAAAAAAAAAAAAAYC8BYAAAAABAgK9iAAAA"
        + "AJDqXmIAAAAAwAeoYgAAAABACgAAAgAAAAAAQGRSFMGFwlBIYAEAQAoAAAIAAAAAAAABRAOqIJIIAgEAAAAAAAAAAEJAAAAAAAAALkAJAAAAAg"
        + "AAACGnnIbgYkFA73UCFAB5IUAAAAAAAAAAAAAAAAAAAAAAAwAAAAAPY3lAZmFicmlrYW0uY29tddT270EApEBQxrZsOE+eQC5fhfzAvnlAAAAA"
        + "AAAAAADIs4EpIrlOQBrpEYx5kUNAKgAAABgAAAAHAAAAAAAAAAAAAADQghBgAAAAAECQvWIAAAAAwMK/YgAAAADgWZ9iAAAAAEAKAAACAAAAAA"
        + "AAj0h3UXqgTOFCBABACgAAAgAAAAAAABCwNBDJRJBEgQQAAAAAAACARkAAAAAAAAA1QA0AAAAFAAAATIEG5CZsSEBiKfNIViQyQAAAAAAAAAAA"
        + "AAAAAAAAAAAAAAAAAAMAAACouMz33+O0fSAXwGIAAAAAAQAAALlZC1mHaJpGQJC9YgAAAAD/////LyzBbG1p1cRgu65iAAAAAP////8sAQAAM/"
        + "YSAXq4uI2y/hIBer24jTEHEwF6wriNmAVq/xhGXN0XDmr/GEtc3am+EAF6t7WNKMcQAXq8tY1xYjsBekzojdM4Vv8YukTdUkFW/xi/RN3RSVb/"
        + "GMRE3ekZOQF6QeWNaCI5AXpG5Y3nKjkBekvljWMkU/8YN0Hd4ixT/xg8Qd15BTYBer7hjQnxMgF6O96NBwIzAXpF3o2Z3C8BerjajRjlLwF6vd"
        + "qN7kOvEHrEwahtTK8QesnBqCXqLAF6SdeNpPIsAXpO142AHqwQeje+qH4vrBB6Qb6o/TesEHpGvqibsioBekjUjRq7KgF6TdSNde+pEHo7u6j2"
        + "5qkQeja7qPT3qRB6QLuoK54nAXrF0I2qpicBesrQjVMcQrUHhJgIUS1CtQeOmAiG0qYQerO3qAXbphB6uLeoEaV+/xhOdN2R6KMQekm0qKGQe/"
        + "8Yy3DdEuCjEHpEtKgza3j/GD5t3bJzeP8YQ23dIdSgEHrGsKixv50QekOtqLOunRB6Oa2oqTN2/xg9at2nRHb/GEdq3Sl3mxB6OKqoOR9z/xi6"
        + "Zt24J3P/GL9m3blimBB6taaoxSxw/xhLY91ENXD/GFBj3UlOlRB6MqOoyFaVEHo3o6iA9BIBere4jf/8EgF6vLiNfgUTAXrBuI1kDGr/GEpc3f"
        + "a8EAF6trWNdcUQAXq7tY0/WDsBekbojT1pOwF6UOiNvmA7AXpL6I0gN1b/GLlE3Z8/Vv8YvkTdHkhW/xjDRN02GDkBekDljTQpOQF6SuWNsCJT"
        + "/xg2Qd0vK1P/GDtB3cYDNgF6veGNRQw2AXrC4Y1W7zIBejrejdX3MgF6P96NVAAzAXpE3o3m2i8BerfajWXjLwF6vNqNO0KvEHrDwai6Sq8Qes"
        + "jBqHLoLAF6SNeN8fAsAXpN143LLawQekC+qEo2rBB6Rb6oaagqAXpC1I3osCoBekfUjWe5KgF6TNSNwu2pEHo6u6hD5akQejW7qHicJwF6xNCN"
        + "96QnAXrJ0I2gGkK1B4OYCJ4rQrUHjZgIHTRCtQeSmAjT0KYQerK3qN+afv8YSHTd3at+/xhSdN1eo37/GE103VLZphB6t7eo0eGmEHq8t6je5q"
        + "MQeki0qO6Oe/8YynDdbZd7/xjPcN1d76MQek20qP9xeP8YQm3dgGl4/xg9bd39gnj/GExt3e3aoBB6yrCobtKgEHrFsKjvyaAQesCwqACtnRB6"
        + "OK2o/r2dEHpCrah9xp0QeketqPYxdv8YPGrddTp2/xhBat30Qnb/GEZq3YYdc/8YuWbdBSZz/xi+Zt31fZsQejyqqHZ1mxB6N6qoBmGYEHq0pq"
        + "iFaZgQermmqBIrcP8YSmPdkTNw/xhPY92WTJUQejGjqBVVlRB6NqOoTPsSAXq7uI2z+Wn/GD9c3bEKav8YSVzdQ7sQAXq1tY3CwxABerq1jQtf"
        + "OwF6SuiNimc7AXpP6I2MVjsBekXojew9Vv8YvUTdgSc5AXpJ5Y18KVP/GDpB3fsxU/8YP0Hdkgo2AXrB4Y0TAjYBerzhjSL2MgF6Pt6No+0yAX"
        + "o53o0z2S8BerbajbLhLwF6u9qNCTivEHq9waiIQK8QesLBqAdJrxB6x8GoPu8sAXpM14299ywBelHXjRgsrBB6P76olzSsEHpEvqi2pioBekHU"
        + "jbS3KgF6S9SNkOOpEHo0u6gP7KkQejm7qESjJwF6yNCN6ylCtQeMmAhqMkK1B5GYCCDPphB6sbeoq6F+/xhMdN0qqn7/GFF03SyZfv8YR3Tdn9"
        + "emEHq2t6ge4KYQeru3qDuNe/8YyXDdupV7/xjOcN2q7aMQeky0qCvloxB6R7SoPMigEHq/sKhMcHj/GEFt3UqBeP8YS23dOtmgEHrJsKi70KAQ"
        + "esSwqEu8nRB6Qa2oysSdEHpGrajCOHb/GEBq3UMwdv8YO2rdw3ObEHo2qqjTG3P/GLhm3VIkc/8YvWbdQnybEHo7qqhTX5gQerOmqNJnmBB6uK"
        + "aoUXCYEHq9pqjeMXD/GE5j3V06cP8YU2Pd40qVEHowo6hiU5UQejWjqJn5EgF6uriNAPhp/xg+XN3+CGr/GEhc3X0Rav8YTVzdkLkQAXq0tY0P"
        + "whABerm1jddlOwF6TuiNWF07AXpJ6I05PFb/GLxE3c4lOQF6SOWNTS45AXpN5Y3JJ1P/GDlB3UgwU/8YPkHdYAA2AXq74Y3fCDYBesDhjd0ZNg"
        + "F6yuGNb/QyAXo93o3w6zIBejjejYDXLwF6tdqN/98vAXq62o1WNq8QerzBqFRHrxB6xsGoCvYsAXpQ142L7SwBekvXjeQyrBB6Q76oAbYqAXpK"
        + "1I1c6qkQeji7qJOQJwF6vdCNkaEnAXrH0I04KEK1B4uYCLcwQrUHkJgI7NWmEHq1t6j4n37/GEt03Xeofv8YUHTdiIt7/xjIcN0HlHv/GM1w3Q"
        + "mDe/8Yw3Dd9+ujEHpLtKh446MQeka0qJlueP8YQG3dh9egEHrIsKgIz6AQesOwqJi6nRB6QK2oF8OdEHpFragPN3b/GD9q3ZAudv8YOmrdEHKb"
        + "EHo1qqggGnP/GLdm3Z8ic/8YvGbdj3qbEHo6qqiNi5sQekSqqKBdmBB6sqaoH2aYEHq3pqiebpgQerymqCswcP8YTWPdqjhw/xhSY90wSZUQei"
        + "+jqK9RlRB6NKOo5vcSAXq5uI1lABMBer64jUsHav8YR1zdyg9q/xhMXN1cwBABeri1jdvIEAF6vbWNJGQ7AXpN6I2GOlb/GLtE3QVDVv8YwETd"
        + "GyQ5AXpH5Y2aLDkBekzljRYmU/8YOEHdlS5T/xg9Qd0sBzYBer/hjSoYNgF6yeGNvPIyAXo83o1M3i8BernajcvmLwF6vtqNoUWvEHrFwahX9C"
        + "wBek/XjdjrLAF6SteNMyCsEHo4vqgxMawQekK+qE60KgF6SdSNzbwqAXpO1I2p6KkQeje7qKf5qRB6Qbuo4I4nAXq80I3enycBesbQjV2oJwF6"
        + "y9CNBC9CtQePmAg51KYQerS3qMSmfv8YT3TdVoF7/xjCcN1Uknv/GMxw3UTqoxB6SrSoxeGjEHpFtKjmbHj/GD9t3WV1eP8YRG3d1NWgEHrHsK"
        + "hkwZ0QekStqFw1dv8YPmrd3HibEHo5qqjsIHP/GLtm3Wspc/8YwGbd2ombEHpDqqhsZJgQeramqPc2cP8YUWPdeC5w/xhMY938T5UQejOjqHtY"
        + "lRB6OKOo";

    private static readonly DateTimeOffset _asOf = new(2024, 6, 1, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Deserialize_LedgerWrittenBeforeTheLayoutChange_ScoresAsARebuildAndStaysIdempotent()
    {
        var messages = FormatOneMailbox();
        var rebuilt = TieLedger.Build("owner@contoso.com", messages);
        var restored = TieLedger.Deserialize(Convert.FromBase64String(StoredBefore));
        Assert.Equal(rebuilt.ItemCount, restored.ItemCount);
        Assert.Equal(rebuilt.Contacts, restored.Contacts);
        Assert.Equal(rebuilt.Score(_asOf), restored.Score(_asOf));
        Assert.Equal(0, restored.AddRange(messages));
        Assert.Equal(rebuilt.Score(_asOf), restored.Score(_asOf));
        Assert.Equal(rebuilt.Score(_asOf), TieLedger.Deserialize(restored.Serialize()).Score(_asOf));
    }

    // A small mailbox over three years (so week bitmaps need several words), with replies by subject, Cc and
    // co-recipients; the same generator made the stored bytes.
    private static List<MailMessage> FormatOneMailbox()
    {
        var random = new Random(7);
        var contacts = new[] { "ann@contoso.com", "bob@contoso.com", "cy@fabrikam.com", "dee@fabrikam.com", "news@fabrikam.com" };
        var subjects = new[] { "Budget", "Re: budget", "Offsite", "RE: Offsite", "status" };
        var at = new DateTimeOffset(2021, 1, 4, 9, 0, 0, TimeSpan.Zero);
        var messages = new List<MailMessage>();
        for (var i = 0; i < 300; i++)
        {
            at = at.AddHours(random.Next(1, 90));
            var contact = contacts[random.Next(contacts.Length)];
            var other = contacts[random.Next(contacts.Length)];
            string[] cc = random.Next(4) == 0 ? [other] : [];
            var subject = subjects[random.Next(subjects.Length)];
            messages.Add(random.Next(2) == 0
                ? new MailMessage("f" + i, "owner@contoso.com", null, [contact], cc, [], at, null, null, subject, false, MailFolder.SentItems)
                : new MailMessage("f" + i, contact, null, ["owner@contoso.com"], cc, [], at, null, null, subject, false, MailFolder.Inbox));
        }

        return messages;
    }
}
