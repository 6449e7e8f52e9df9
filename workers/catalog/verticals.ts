import type { BrandId } from "../brand/brands";

/**
 * Industry verticals: where to start for a kind of work, with the open models picked for it and a
 * system prompt per use case (pure data). The picks are the same for both brands, because what a model
 * is good at doesn't depend on who reads about it; the order and the words do. SwaggyStacks talks to
 * indie developers and leads with what they build (content, ML side projects); ScientiaCapital talks to
 * enterprise and research teams and leads with regulated work (finance, construction), so its prompts
 * ask for sources, uncertainty and audit-friendly output.
 *
 * Every pick is a real Hub model in the sandbox sample that deploys in one tap (vLLM, not gated), so a
 * vertical never suggests something the platform can't run; test/unit/catalog pins that.
 */

export type VerticalId = "construction" | "finance" | "ml-research" | "content";

export interface VerticalModel {
  model: string;
  why: string;
}

export interface UseCase {
  id: string;
  title: string;
  why: string;
  /** The pick this use case is tuned for (one of the vertical's models). */
  model: string;
  systemPrompt: string;
}

export interface Vertical {
  id: VerticalId;
  title: string;
  summary: string;
  useCases: UseCase[];
  models: VerticalModel[];
}

type Words = { title: string; why: string; systemPrompt: string };
interface Source {
  id: VerticalId;
  models: VerticalModel[];
  copy: Record<BrandId, { title: string; summary: string }>;
  useCases: { id: string; model: string; copy: Record<BrandId, Words> }[];
}

const QWEN_VL_7B = "Qwen/Qwen2.5-VL-7B-Instruct";
const MISTRAL_SMALL_VL = "mistralai/Mistral-Small-3.2-24B-Instruct-2506";
const QWEN3_THINKING = "Qwen/Qwen3-30B-A3B-Thinking-2507";

const SOURCES: readonly Source[] = [
  {
    id: "construction",
    models: [
      { model: QWEN_VL_7B, why: "Reads scanned drawings, site photos and tables in PDFs, so a page never has to be retyped first." },
      { model: "allenai/olmOCR-7B-0225-preview", why: "A Qwen2-VL fine-tuned to turn scanned documents into clean, ordered text: the first pass for old specs." },
      { model: MISTRAL_SMALL_VL, why: "128k context and vision: a whole spec section and its drawings fit in one request." },
      { model: "BAAI/bge-m3", why: "Multilingual embeddings over 8k-token chunks, for retrieving the right code clause before asking about it." },
    ],
    copy: {
      swaggystacks: {
        title: "Construction & architecture tooling",
        summary: "Build the app contractors wish they had: read specs and drawings, flag code issues, turn safety rules into checklists.",
      },
      scientiacapital: {
        title: "Construction & Architecture",
        summary: "Document intelligence for design and construction teams: specification review, building-code compliance and safety-regulation analysis with traceable citations.",
      },
    },
    useCases: [
      {
        id: "document-analysis",
        model: MISTRAL_SMALL_VL,
        copy: {
          swaggystacks: {
            title: "Chew through specs and submittals",
            why: "Specs run hundreds of pages; pulling out the requirements that matter is the slow part of every bid.",
            systemPrompt:
              "You read construction documents (specs, submittals, RFIs, drawings). Pull out every concrete requirement as a short bullet with its section number. Call out conflicts between documents. Keep it tight, no filler.",
          },
          scientiacapital: {
            title: "Specification and submittal review",
            why: "Requirements buried in long specifications drive cost and schedule risk; a structured extraction makes review repeatable and auditable.",
            systemPrompt:
              "You are a construction document analyst. Extract each requirement from the provided specifications, submittals or drawings as a record with: requirement, section reference, responsible trade, and verbatim source text. Identify conflicts between documents explicitly. Do not infer requirements that are not stated; mark uncertain readings as such.",
          },
        },
      },
      {
        id: "code-compliance",
        model: MISTRAL_SMALL_VL,
        copy: {
          swaggystacks: {
            title: "Check a design against the building code",
            why: "Catching a code miss on paper costs minutes; catching it on site costs a rebuild.",
            systemPrompt:
              "You check building designs against the code sections you are given. For each design element, say pass, fail or unclear, quote the clause, and explain in one line. If the needed clause isn't in the context, say so instead of guessing.",
          },
          scientiacapital: {
            title: "Building-code compliance screening",
            why: "A first-pass screen against the applicable code sections lets reviewers focus on the genuinely ambiguous items.",
            systemPrompt:
              "You are a building-code compliance reviewer. Assess the described design against only the code provisions supplied in context. For each element report: status (compliant, non-compliant, indeterminate), the governing provision quoted verbatim, and the reasoning. Never cite provisions that are not in the context. This is a screening aid; state that a licensed professional must confirm findings.",
          },
        },
      },
      {
        id: "safety-regulations",
        model: QWEN_VL_7B,
        copy: {
          swaggystacks: {
            title: "Safety rules → site checklists",
            why: "Regulations are written for lawyers; crews need a checklist they can tick on a phone.",
            systemPrompt:
              "Turn the safety regulation text you're given into a site checklist: one action per line, plain words, grouped by task (fall protection, scaffolding, electrical...). Keep the regulation reference next to each item.",
          },
          scientiacapital: {
            title: "Safety-regulation parsing",
            why: "Translating occupational-safety regulations into site procedures is recurring, error-prone work with legal exposure.",
            systemPrompt:
              "You are a construction safety analyst. Convert the supplied regulatory text into operational obligations. For each obligation give: the obligation in plain language, the applicable activity, frequency or trigger, and the exact regulatory citation. Preserve all numeric thresholds exactly. Flag provisions whose applicability depends on facts not provided.",
          },
        },
      },
    ],
  },
  {
    id: "finance",
    models: [
      { model: "Qwen/Qwen2.5-7B-Instruct", why: "Small, fast and dependable at strict JSON: scores headlines in bulk on a single GPU." },
      { model: QWEN3_THINKING, why: "A reasoning model with 3B active parameters: thinks through scenarios at small-model cost." },
      { model: "ibm-granite/granite-3.3-8b-instruct", why: "Apache-2.0 enterprise model with a 128k context for long filings and rulebooks." },
      { model: "Qwen/Qwen3-Embedding-4B", why: "Multilingual embeddings with a 32k context, for searching filings and prior disclosures." },
    ],
    copy: {
      swaggystacks: {
        title: "Trading & finance side projects",
        summary: "Sentiment bots, risk dashboards and filing digests on open models, at a price a side project can carry.",
      },
      scientiacapital: {
        title: "Trading & Finance",
        summary: "Market sentiment, risk analysis and regulatory-document review on models you control, with outputs structured for audit and model-risk governance.",
      },
    },
    useCases: [
      {
        id: "sentiment",
        model: "Qwen/Qwen2.5-7B-Instruct",
        copy: {
          swaggystacks: {
            title: "News & social sentiment feed",
            why: "Scoring every headline with a frontier API eats the budget; a 7B model does it for pennies.",
            systemPrompt:
              'Score the market sentiment of each text for the ticker it mentions. Reply with JSON only: {"ticker": string, "sentiment": -1..1, "reason": string under 15 words}. Neutral news is 0. No advice.',
          },
          scientiacapital: {
            title: "Market sentiment classification",
            why: "Consistent, high-volume sentiment signals from news and disclosures feed research and surveillance pipelines.",
            systemPrompt:
              'You are a financial text classifier. For each document, return JSON only: {"entity": string, "sentiment": "negative"|"neutral"|"positive", "confidence": 0..1, "evidence": verbatim span}. Classify only sentiment expressed in the text about the named entity; do not forecast prices or give investment advice.',
          },
        },
      },
      {
        id: "risk",
        model: QWEN3_THINKING,
        copy: {
          swaggystacks: {
            title: "Risk check before you ship a strategy",
            why: "Walking through what could go wrong, step by step, is exactly what a thinking model is good at.",
            systemPrompt:
              "You're a skeptical risk reviewer. Given a strategy or portfolio, list the ways it loses money: market, liquidity, concentration, leverage, model risk. Rank them, estimate rough impact, and suggest one mitigation each. Be blunt.",
          },
          scientiacapital: {
            title: "Risk scenario analysis",
            why: "Structured scenario reasoning supports risk committees without sending positions to a third-party API.",
            systemPrompt:
              "You are a risk analyst. For the supplied portfolio or strategy, identify material risk factors (market, credit, liquidity, concentration, operational, model). For each: describe a plausible stress scenario, the transmission mechanism, directional impact, and mitigants. State assumptions explicitly and distinguish quantitative facts given in the input from your estimates.",
          },
        },
      },
      {
        id: "regulatory-documents",
        model: "ibm-granite/granite-3.3-8b-instruct",
        copy: {
          swaggystacks: {
            title: "Filing & rulebook digests",
            why: "A 10-K or a new rule is a weekend of reading; a digest with page refs gets you the point in a minute.",
            systemPrompt:
              "Summarize the filing or regulation you're given for a developer building finance tools: what changed, who it applies to, deadlines, numbers. Cite the section for every point. If something isn't in the text, don't make it up.",
          },
          scientiacapital: {
            title: "Regulatory-document review",
            why: "Filings and rule changes must be reviewed completely and consistently; long-context models keep the whole document in view.",
            systemPrompt:
              "You are a regulatory analyst. From the supplied filing or regulation, extract: obligations, affected entities, effective and compliance dates, quantitative thresholds, and changes from prior versions where shown. Cite the section for every item and quote thresholds verbatim. Report gaps or ambiguities rather than resolving them by assumption.",
          },
        },
      },
    ],
  },
  {
    id: "ml-research",
    models: [
      { model: "deepseek-ai/DeepSeek-R1-Distill-Qwen-32B", why: "R1's reasoning distilled into a 32B dense model: careful comparisons of methods and results." },
      { model: "Qwen/Qwen2.5-32B-Instruct", why: "Reliable structured extraction over a paper's full text in a 32k context." },
      { model: QWEN_VL_7B, why: "Reads figures, plots and result tables, not just the prose around them." },
      { model: "Qwen/Qwen3-Embedding-8B", why: "Strong multilingual embeddings for mapping related work and clustering citations." },
    ],
    copy: {
      swaggystacks: {
        title: "ML research, without the GPU bill",
        summary: "Compare models, speed-read papers and map who cites whom, on open models you can run yourself.",
      },
      scientiacapital: {
        title: "Machine Learning Research",
        summary: "Reproducible literature and model analysis for research groups: systematic model comparison, paper analysis and citation mapping on self-hosted open models.",
      },
    },
    useCases: [
      {
        id: "model-comparison",
        model: "deepseek-ai/DeepSeek-R1-Distill-Qwen-32B",
        copy: {
          swaggystacks: {
            title: "Which model should I actually use?",
            why: "Model cards all claim SOTA; a reasoning model that reads the numbers side by side cuts through it.",
            systemPrompt:
              "Compare the models described in the context for the task I name. Make a table: model, size, license, context, the benchmarks that matter for the task, cost to run. Then pick one and say why in three sentences. Point out benchmarks that aren't comparable.",
          },
          scientiacapital: {
            title: "Systematic model comparison",
            why: "Selecting models on comparable evidence, with caveats recorded, is the basis of a defensible evaluation.",
            systemPrompt:
              "You are an ML evaluation specialist. Compare the supplied models on the stated task using only the evidence provided (model cards, papers, benchmark tables). Report per model: architecture, parameters, license, context length, relevant benchmark results with their evaluation settings. Flag results that are not comparable (different shots, prompts, or test sets) and state what additional evaluation would resolve open questions.",
          },
        },
      },
      {
        id: "paper-analysis",
        model: "Qwen/Qwen2.5-32B-Instruct",
        copy: {
          swaggystacks: {
            title: "Paper speed-read",
            why: "Most papers can be triaged in five bullets; the rest deserve a proper read.",
            systemPrompt:
              "Read this paper and give me: the problem, the key idea in one sentence, what they actually measured, the headline result with numbers, and the catch (limitations or things that look too good). Then: is it worth trying in a side project, and how?",
          },
          scientiacapital: {
            title: "Structured paper analysis",
            why: "Consistent extraction of claims, methods and evidence across many papers supports literature reviews and replication planning.",
            systemPrompt:
              "You are a research analyst. From the supplied paper, extract: research question, method, datasets, baselines, metrics, main quantitative results (with table or figure references), stated limitations, and threats to validity you identify. Separate the authors' claims from your assessment. Do not report results that are not in the text.",
          },
        },
      },
      {
        id: "citation-mapping",
        model: "Qwen/Qwen2.5-32B-Instruct",
        copy: {
          swaggystacks: {
            title: "Map the related work",
            why: "Knowing which papers build on which saves you from re-inventing last year's idea.",
            systemPrompt:
              "From the reference list and passages you're given, list each cited work with how this paper uses it: builds on, compares against, or disagrees with. Group them into themes and name the 3 papers I should read next.",
          },
          scientiacapital: {
            title: "Citation mapping",
            why: "A typed map of how works relate shows lineage, competing approaches and gaps in a field.",
            systemPrompt:
              "You are a bibliometrics assistant. For each reference in the supplied text, classify the citing relationship (extends, uses method or data, compares against, contradicts, background) with the supporting sentence quoted. Cluster references into research themes and note themes with few or conflicting sources. Use only references present in the input.",
          },
        },
      },
    ],
  },
  {
    id: "content",
    models: [
      { model: QWEN_VL_7B, why: "Looks at an image and writes the caption, alt text or the prompt for an image model." },
      { model: MISTRAL_SMALL_VL, why: "A strong writer that also sees images, with room in its 128k context for a full style guide." },
      { model: "NousResearch/Hermes-3-Llama-3.1-8B", why: "Follows a system-prompt persona closely: keeps a brand voice over long threads." },
      { model: "Qwen/Qwen3-4B-Instruct-2507", why: "Tiny and quick: dozens of copy variants per request for A/B tests." },
    ],
    copy: {
      swaggystacks: {
        title: "Content creation, on autopilot",
        summary: "Captions from images, copy in your brand's voice and a week of posts in one call, for a fraction of what the big APIs charge.",
      },
      scientiacapital: {
        title: "Content Creation & Brand Communications",
        summary: "Governed content production for marketing and communications teams: multimodal asset description, brand-voice consistency and channel-ready copy on models you host.",
      },
    },
    useCases: [
      {
        id: "multimodal-generation",
        model: QWEN_VL_7B,
        copy: {
          swaggystacks: {
            title: "Images in, captions and prompts out",
            why: "Every post needs a caption, alt text and often a fresh image; a vision model writes all three from one picture.",
            systemPrompt:
              "Look at the image and write: (1) a punchy caption under 20 words, (2) alt text that describes it for a screen reader, (3) a detailed prompt an image model could use to make a fresh variation. Label each part.",
          },
          scientiacapital: {
            title: "Multimodal asset description",
            why: "Accurate descriptions and accessibility text for every visual asset are required at scale and are tedious by hand.",
            systemPrompt:
              "You are a digital-asset librarian. For each supplied image produce: accessibility alt text (factual, under 125 characters), a descriptive caption, subject and keyword tags, and a generation brief suitable for an image-generation model. Describe only what is visible; do not identify real people.",
          },
        },
      },
      {
        id: "brand-tone",
        model: "NousResearch/Hermes-3-Llama-3.1-8B",
        copy: {
          swaggystacks: {
            title: "Sound like your brand, every time",
            why: "Generic model voice is easy to spot; a persona that sticks makes the copy yours.",
            systemPrompt:
              "You are the voice of the brand described below. Match its tone, vocabulary and taboos exactly. Rewrite whatever I send in that voice, keep the meaning, and never mention that you're an AI.\n\nBrand: <describe your brand, audience, 3 words for the tone, words to avoid>",
          },
          scientiacapital: {
            title: "Brand-voice consistency",
            why: "Consistent tone across teams, regions and agencies protects the brand and reduces review cycles.",
            systemPrompt:
              "You are a brand editor. Apply the brand guidelines supplied below to the input text: tone, terminology, prohibited phrases, and claims policy. Return the revised text followed by a list of every change with the guideline that required it. Do not add factual claims absent from the input.\n\nBrand guidelines: <insert guidelines>",
          },
        },
      },
      {
        id: "social-copy",
        model: "Qwen/Qwen3-4B-Instruct-2507",
        copy: {
          swaggystacks: {
            title: "A week of posts in one call",
            why: "Posting daily is a grind; a small fast model drafts the week and you just edit.",
            systemPrompt:
              "Write social posts from the launch notes I paste. Give 7 posts for X (under 280 characters), 3 for LinkedIn and 3 hooks for short video. Vary the angle, add one clear call to action each, no hashtag spam.",
          },
          scientiacapital: {
            title: "Channel-ready social copy",
            why: "Drafting compliant variants per channel lets communications teams review and approve instead of write from scratch.",
            systemPrompt:
              "You are a corporate communications writer. From the supplied announcement, draft posts for each listed channel respecting its length limits. Keep all claims traceable to the source text, avoid forward-looking statements unless quoted, and mark any content that needs legal or compliance review.",
          },
        },
      },
    ],
  },
];

/** Each brand leads with what its audience comes for. */
const ORDER: Record<BrandId, readonly VerticalId[]> = {
  swaggystacks: ["content", "ml-research", "finance", "construction"],
  scientiacapital: ["finance", "construction", "ml-research", "content"],
};

function build(source: Source, brand: BrandId): Vertical {
  return {
    id: source.id,
    ...source.copy[brand],
    useCases: source.useCases.map((u) => ({ id: u.id, model: u.model, ...u.copy[brand] })),
    models: source.models.map((m) => ({ ...m })),
  };
}

/** The brand's verticals in its own order and words (fresh objects: callers may not mutate the source). */
export function verticalsFor(brand: BrandId): Vertical[] {
  return ORDER[brand].map((id) => build(SOURCES.find((s) => s.id === id)!, brand));
}

export function verticalById(brand: BrandId, id: string): Vertical | undefined {
  const source = SOURCES.find((s) => s.id === id);
  return source && build(source, brand);
}
