export { listen, type Listening } from '../../core/listen';
